// Every node within a region subtree (the same membership rules as list_nodes), each with its
// outgoing relationships; the adapter keeps edges whose both ends are in scope. Counted or
// projected by the caller.
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
OPTIONAL MATCH (n)-[r]->(b:Entity)
RETURN n, collect(CASE WHEN r IS NOT NULL THEN {type: type(r), end: b.id, props: properties(r)} END) AS out
