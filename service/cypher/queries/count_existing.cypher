// How many of these ids a node already has: upsert_batch's probe for a batch of new nodes.
UNWIND $ids AS id
OPTIONAL MATCH (n:Entity {id: id})
RETURN count(n) AS found
