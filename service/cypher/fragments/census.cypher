// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.
// Rows (label, kind, status, count) of every node within the region subtree of $regionId (the same
// membership as scope.cypher, which tests one node), walked from the regions down: one expansion per
// collected list (atK: distinct nodes) over the types leaving it, DISTINCT only after a hop a node may
// hold several of, a label with nothing to group by tallied from its links (region_scope.census_fragment).
MATCH (root:Region {id: $regionId})
MATCH (root)<-[:PART_OF*0..]-(n:Region)
WITH collect(DISTINCT n) AS at0
CALL (at0) {
  UNWIND at0 AS r MATCH (r)<-[h:LOCATED_IN|COVERS|IN]-(n)
  WITH n, type(h) AS t
  RETURN collect(DISTINCT CASE WHEN t = 'LOCATED_IN' THEN n END) AS at1,
         collect(DISTINCT CASE WHEN t = 'COVERS' THEN n END) AS at2,
         collect(CASE WHEN t = 'IN' THEN n END) AS at3
}
CALL (at1) { UNWIND at1 AS r RETURN sum(COUNT { (r)<-[:BELONGS_TO]-() }) AS n4 }
CALL (at1) {
  UNWIND at1 AS r MATCH (r)-[h:PARTY_TO|PUBLISHED|ORGANISED_BY]-(n)
  WITH n, type(h) AS t
  RETURN collect(DISTINCT CASE WHEN t = 'PARTY_TO' THEN n END) AS at5,
         collect(CASE WHEN t = 'PUBLISHED' THEN n END) AS at6,
         collect(CASE WHEN t = 'ORGANISED_BY' THEN n END) AS at8
}
CALL (at2) {
  UNWIND at2 AS r MATCH (r)<-[h:OF]-(n)
  RETURN collect(n) AS at7
}
CALL (at7) {
  UNWIND at7 AS r MATCH (r)<-[h:DECIDED_AT]-(n)
  RETURN collect(n) AS at9
}
CALL (at0, at1, at2, at3, n4, at5, at6, at7, at8, at9) {
  UNWIND at0 AS n
  RETURN 'Region' AS label, coalesce(n.kind, n.level) AS kind, null AS status, count(*) AS count
  UNION ALL
  UNWIND at1 AS n
  WITH n, CASE WHEN n:Organisation THEN 'Organisation' WHEN n:Enterprise THEN 'Enterprise' END AS label
  WITH label, CASE label WHEN 'Organisation' THEN coalesce(n.kind, n.level) WHEN 'Enterprise' THEN n.ownership END AS kind, null AS status WHERE label IS NOT NULL
  RETURN label, kind, status, count(*) AS count
  UNION ALL
  WITH n4 AS count WHERE count > 0
  RETURN 'Member' AS label, null AS kind, null AS status, count
  UNION ALL
  UNWIND at2 AS n
  RETURN 'Alliance' AS label, n.kind AS kind, null AS status, count(*) AS count
  UNION ALL
  UNWIND at5 AS n
  RETURN 'Agreement' AS label, n.kind AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at6 AS n
  RETURN 'ListItem' AS label, n.list AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at3 AS n
  WITH n, CASE WHEN n:Wish THEN 'Wish' WHEN n:ServiceCentre THEN 'ServiceCentre' END AS label
  WITH label, null AS kind, CASE label WHEN 'Wish' THEN n.status END AS status WHERE label IS NOT NULL
  RETURN label, kind, status, count(*) AS count
  UNION ALL
  UNWIND at7 AS n
  RETURN 'Meeting' AS label, n.kind AS kind, null AS status, count(*) AS count
  UNION ALL
  UNWIND at9 AS n
  RETURN 'Matter' AS label, n.mode AS kind, n.status AS status, count(*) AS count
  UNION ALL
  UNWIND at8 AS n
  RETURN 'Team' AS label, n.kind AS kind, null AS status, count(*) AS count
}
