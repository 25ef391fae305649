// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.
// Node `n`'s label, kind and status as census.cypher groups it, and the ids of the regions whose subtree
// holds it (scope.cypher's membership, read from the node up): what the region tallies count it in.
CALL (n) {
  WITH n WHERE n:Region
  WITH n, n AS a
  WITH n, properties(n) AS p, a
  RETURN 'Region' AS label, coalesce(p.kind, p.level) AS kind,
         null AS status, collect(a) AS anchors
  UNION ALL
  WITH n WHERE (n:Organisation OR n:Enterprise)
  OPTIONAL MATCH (n)-[:LOCATED_IN]->(a:Region)
  WITH n, properties(n) AS p, a
  RETURN CASE WHEN n:Organisation THEN 'Organisation' WHEN n:Enterprise THEN 'Enterprise' END AS label, CASE WHEN n:Organisation THEN coalesce(p.kind, p.level) WHEN n:Enterprise THEN p.ownership END AS kind,
         null AS status, collect(a) AS anchors
  UNION ALL
  WITH n WHERE n:Member
  OPTIONAL MATCH (n)-[:BELONGS_TO]->()-[:LOCATED_IN]->(a:Region)
  WITH n, properties(n) AS p, a
  RETURN 'Member' AS label, null AS kind,
         null AS status, collect(a) AS anchors
  UNION ALL
  WITH n WHERE n:Alliance
  OPTIONAL MATCH (n)-[:COVERS]->(a:Region)
  WITH n, properties(n) AS p, a
  RETURN 'Alliance' AS label, p.kind AS kind,
         null AS status, collect(a) AS anchors
  UNION ALL
  WITH n WHERE n:Agreement
  OPTIONAL MATCH (n)<-[:PARTY_TO]-()-[:LOCATED_IN]->(a:Region)
  WITH n, properties(n) AS p, a
  RETURN 'Agreement' AS label, p.kind AS kind,
         p.status AS status, collect(a) AS anchors
  UNION ALL
  WITH n WHERE n:ListItem
  OPTIONAL MATCH (n)<-[:PUBLISHED]-()-[:LOCATED_IN]->(a:Region)
  WITH n, properties(n) AS p, a
  RETURN 'ListItem' AS label, p.list AS kind,
         p.status AS status, collect(a) AS anchors
  UNION ALL
  WITH n WHERE (n:Wish OR n:ServiceCentre)
  OPTIONAL MATCH (n)-[:IN]->(a:Region)
  WITH n, properties(n) AS p, a
  RETURN CASE WHEN n:Wish THEN 'Wish' WHEN n:ServiceCentre THEN 'ServiceCentre' END AS label, null AS kind,
         CASE WHEN n:Wish THEN p.status WHEN n:ServiceCentre THEN null END AS status, collect(a) AS anchors
  UNION ALL
  WITH n WHERE n:Meeting
  OPTIONAL MATCH (n)-[:OF]->()-[:COVERS]->(a:Region)
  WITH n, properties(n) AS p, a
  RETURN 'Meeting' AS label, p.kind AS kind,
         null AS status, collect(a) AS anchors
  UNION ALL
  WITH n WHERE n:Matter
  OPTIONAL MATCH (n)-[:DECIDED_AT]->()-[:OF]->()-[:COVERS]->(a:Region)
  WITH n, properties(n) AS p, a
  RETURN 'Matter' AS label, p.mode AS kind,
         p.status AS status, collect(a) AS anchors
  UNION ALL
  WITH n WHERE n:Team
  OPTIONAL MATCH (n)-[:ORGANISED_BY]->()-[:LOCATED_IN]->(a:Region)
  WITH n, properties(n) AS p, a
  RETURN 'Team' AS label, p.kind AS kind,
         null AS status, collect(a) AS anchors
}
CALL (anchors) {
  UNWIND anchors AS a
  MATCH (a)-[:PART_OF*0..]->(r:Region)
  RETURN collect(DISTINCT r.id) AS regions
}
