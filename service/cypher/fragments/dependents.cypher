// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.
// The nodes `n` with node `x` on their region path (scope.cypher): they move between regions with x.
CALL (x) {
  WITH x WHERE x:Region
  MATCH (x)<-[:PART_OF*0..]-(n:Region)
  RETURN n
  UNION
  WITH x WHERE x:Region
  MATCH (x)<-[:PART_OF*0..]-(:Region)<-[:LOCATED_IN]-(n)
  WITH n WHERE (n:Organisation OR n:Enterprise)
  RETURN n
  UNION
  WITH x WHERE x:Region
  MATCH (x)<-[:PART_OF*0..]-(:Region)<-[:LOCATED_IN]-()<-[:BELONGS_TO]-(n)
  WITH n WHERE n:Member
  RETURN n
  UNION
  WITH x WHERE x:Organisation
  MATCH (x)<-[:BELONGS_TO]-(n)
  WITH n WHERE n:Member
  RETURN n
  UNION
  WITH x WHERE x:Region
  MATCH (x)<-[:PART_OF*0..]-(:Region)<-[:COVERS]-(n)
  WITH n WHERE n:Alliance
  RETURN n
  UNION
  WITH x WHERE x:Region
  MATCH (x)<-[:PART_OF*0..]-(:Region)<-[:LOCATED_IN]-()-[:PARTY_TO]->(n)
  WITH n WHERE n:Agreement
  RETURN n
  UNION
  WITH x WHERE x:Enterprise OR x:Organisation
  MATCH (x)-[:PARTY_TO]->(n)
  WITH n WHERE n:Agreement
  RETURN n
  UNION
  WITH x WHERE x:Region
  MATCH (x)<-[:PART_OF*0..]-(:Region)<-[:LOCATED_IN]-()-[:PUBLISHED]->(n)
  WITH n WHERE n:ListItem
  RETURN n
  UNION
  WITH x WHERE x:Enterprise OR x:Organisation
  MATCH (x)-[:PUBLISHED]->(n)
  WITH n WHERE n:ListItem
  RETURN n
  UNION
  WITH x WHERE x:Region
  MATCH (x)<-[:PART_OF*0..]-(:Region)<-[:IN]-(n)
  WITH n WHERE (n:Wish OR n:ServiceCentre)
  RETURN n
  UNION
  WITH x WHERE x:Region
  MATCH (x)<-[:PART_OF*0..]-(:Region)<-[:COVERS]-()<-[:OF]-(n)
  WITH n WHERE n:Meeting
  RETURN n
  UNION
  WITH x WHERE x:Alliance
  MATCH (x)<-[:OF]-(n)
  WITH n WHERE n:Meeting
  RETURN n
  UNION
  WITH x WHERE x:Region
  MATCH (x)<-[:PART_OF*0..]-(:Region)<-[:COVERS]-()<-[:OF]-()<-[:DECIDED_AT]-(n)
  WITH n WHERE n:Matter
  RETURN n
  UNION
  WITH x WHERE x:Meeting
  MATCH (x)<-[:DECIDED_AT]-(n)
  WITH n WHERE n:Matter
  RETURN n
  UNION
  WITH x WHERE x:Alliance
  MATCH (x)<-[:OF]-()<-[:DECIDED_AT]-(n)
  WITH n WHERE n:Matter
  RETURN n
  UNION
  WITH x WHERE x:Region
  MATCH (x)<-[:PART_OF*0..]-(:Region)<-[:LOCATED_IN]-()<-[:ORGANISED_BY]-(n)
  WITH n WHERE n:Team
  RETURN n
  UNION
  WITH x WHERE x:Organisation
  MATCH (x)<-[:ORGANISED_BY]-(n)
  WITH n WHERE n:Team
  RETURN n
}
