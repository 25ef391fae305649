// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.
// Every node `n` within the region subtree of $regionId, driven from the regions down (the same
// membership as scope.cypher, which tests one node; this one lists them all).
MATCH (root:Region {id: $regionId})
MATCH (reg:Region)-[:PART_OF*0..]->(root)
CALL (reg) {
  RETURN reg AS n
  UNION
  MATCH (reg)<-[:LOCATED_IN]-(n:Organisation|Enterprise) RETURN n
  UNION
  MATCH (reg)<-[:LOCATED_IN]-()<-[:BELONGS_TO]-(n:Member) RETURN n
  UNION
  MATCH (reg)<-[:COVERS]-(n:Alliance) RETURN n
  UNION
  MATCH (reg)<-[:LOCATED_IN]-()-[:PARTY_TO]->(n:Agreement) RETURN n
  UNION
  MATCH (reg)<-[:LOCATED_IN]-()-[:PUBLISHED]->(n:ListItem) RETURN n
  UNION
  MATCH (reg)<-[:IN]-(n:Wish|ServiceCentre) RETURN n
  UNION
  MATCH (reg)<-[:COVERS]-()<-[:OF]-(n:Meeting) RETURN n
  UNION
  MATCH (reg)<-[:COVERS]-()<-[:OF]-()<-[:DECIDED_AT]-(n:Matter) RETURN n
  UNION
  MATCH (reg)<-[:LOCATED_IN]-()<-[:ORGANISED_BY]-(n:Team) RETURN n
}
WITH DISTINCT n
