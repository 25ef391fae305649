// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.
// `n` lies within the region subtree of `root` (always true when root is null): the one
// definition of region membership, pasted where a statement says __SCOPE__. Each label
// belongs to the regions its registry path reaches.
(root IS NULL OR
 (n:Region AND EXISTS { (n)-[:PART_OF*0..]->(root) }) OR
 ((n:Organisation OR n:Enterprise) AND EXISTS { (n)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
 (n:Member AND EXISTS { (n)-[:BELONGS_TO]->()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
 (n:Alliance AND EXISTS { (n)-[:COVERS]->(:Region)-[:PART_OF*0..]->(root) }) OR
 (n:Agreement AND EXISTS { (n)<-[:PARTY_TO]-()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
 (n:ListItem AND EXISTS { (n)<-[:PUBLISHED]-()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
 ((n:Wish OR n:ServiceCentre) AND EXISTS { (n)-[:IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
 (n:Meeting AND EXISTS { (n)-[:OF]->()-[:COVERS]->(:Region)-[:PART_OF*0..]->(root) }) OR
 (n:Matter AND EXISTS { (n)-[:DECIDED_AT]->()-[:OF]->()-[:COVERS]->(:Region)-[:PART_OF*0..]->(root) }) OR
 (n:Team AND EXISTS { (n)-[:ORGANISED_BY]->()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }))
