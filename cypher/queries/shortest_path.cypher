MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
MATCH p = shortestPath((a)-[*..12]-(b))
RETURN nodes(p) AS nodes,
       [r IN relationships(p) | {type: type(r), start: startNode(r).id, end: endNode(r).id, props: properties(r)}] AS edges
