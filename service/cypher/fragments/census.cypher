// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.
// Rows (label, kind, status, count) of every node within the region subtree of $regionId (the same
// membership as scope.cypher, which tests one node), driven from the regions down: each prefix of the
// region paths is collected once (atK: the distinct nodes at its end), each label counted from it;
// DISTINCT only after a hop a node may hold several of (region_scope.census_fragment).
MATCH (root:Region {id: $regionId})
MATCH (root)<-[:PART_OF*0..]-(n:Region)
WITH collect(DISTINCT n) AS at0
CALL (at0) { UNWIND at0 AS r MATCH (r)<-[:LOCATED_IN]-(n) RETURN collect(DISTINCT n) AS at1 }
CALL (at0) { UNWIND at0 AS r MATCH (r)<-[:COVERS]-(n) RETURN collect(DISTINCT n) AS at2 }
CALL (at2) { UNWIND at2 AS r MATCH (r)<-[:OF]-(n) RETURN collect(n) AS at3 }
CALL (at0, at1, at2, at3) {
  UNWIND at0 AS n
  RETURN 'Region' AS label, coalesce(n.kind, n.level) AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at1 AS n WITH n WHERE n:Organisation
  RETURN 'Organisation' AS label, coalesce(n.kind, n.level) AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at1 AS n WITH n WHERE n:Enterprise
  RETURN 'Enterprise' AS label, n.ownership AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at1 AS r MATCH (r)<-[:BELONGS_TO]-(n:Member)
  RETURN 'Member' AS label, null AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at2 AS n WITH n WHERE n:Alliance
  RETURN 'Alliance' AS label, n.kind AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at1 AS r MATCH (r)-[:PARTY_TO]->(n:Agreement) WITH DISTINCT n
  RETURN 'Agreement' AS label, n.kind AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at1 AS r MATCH (r)-[:PUBLISHED]->(n:ListItem)
  RETURN 'ListItem' AS label, n.list AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at0 AS r MATCH (r)<-[:IN]-(n:Wish)
  RETURN 'Wish' AS label, null AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at0 AS r MATCH (r)<-[:IN]-(n:ServiceCentre)
  RETURN 'ServiceCentre' AS label, null AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at3 AS n WITH n WHERE n:Meeting
  RETURN 'Meeting' AS label, n.kind AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at3 AS r MATCH (r)<-[:DECIDED_AT]-(n:Matter)
  RETURN 'Matter' AS label, n.mode AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at1 AS r MATCH (r)<-[:ORGANISED_BY]-(n:Team)
  RETURN 'Team' AS label, n.kind AS kind, n.status AS status, count(*) AS count
}
