// Counts by label, kind and status within a region subtree (the dashboard KPIs).
MATCH (root:Region {id: $regionId})
MATCH (reg:Region)-[:PART_OF*0..]->(root)
CALL (reg) {
  RETURN reg AS n
  UNION
  MATCH (reg)<-[:LOCATED_IN]-(n) RETURN n
  UNION
  MATCH (reg)<-[:LOCATED_IN]-()-[:PARTY_TO|PUBLISHED]->(n) RETURN n
  UNION
  MATCH (reg)<-[:LOCATED_IN]-()<-[:BELONGS_TO|ORGANISED_BY]-(n) RETURN n
  UNION
  MATCH (reg)<-[:IN|COVERS]-(n) RETURN n
  UNION
  MATCH (reg)<-[:COVERS]-()<-[:OF]-(n) RETURN n
  UNION
  MATCH (reg)<-[:COVERS]-()<-[:OF]-()<-[:DECIDED_AT]-(n) RETURN n
}
WITH DISTINCT n
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label,
       coalesce(n.kind, n.level, n.list, n.mode, n.ownership) AS kind,
       n.status AS status, count(*) AS count
ORDER BY label, kind, status
