// Every node `n` within the region subtree of $regionId, driven from the regions down (the same
// membership as scope.cypher, which tests one node; this one lists them all).
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
