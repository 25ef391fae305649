// Relationships first, in chunks of their own: DETACH DELETE of a chunk of nodes would remove
// every relationship of a hub (a publisher of a million items) in one transaction, beyond
// Neo4j's transaction memory pool.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
