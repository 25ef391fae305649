// One shortest path in any direction; for a region-scoped caller every node on it lies within
// the region subtree (a path through units outside it would show them).
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
MATCH p = shortestPath((a)-[*..12]-(b))
WHERE all(n IN nodes(p) WHERE __SCOPE__)
RETURN nodes(p) AS nodes,
       [r IN relationships(p) | {type: type(r), start: startNode(r).id, end: endNode(r).id, props: properties(r)}] AS edges
