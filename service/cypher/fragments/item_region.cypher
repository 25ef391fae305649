// List item `i` lies within the region subtree of `root` (its ListItem path in the registry,
// as scope.cypher spells it): chosen only for a region-scoped caller.
EXISTS { (i)<-[:PUBLISHED]-()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }
