UNWIND $ids AS id
MATCH (s:Entity {id: id})-[r:__TYPE__]->(n)
RETURN id AS sourceId, n, properties(r) AS props
