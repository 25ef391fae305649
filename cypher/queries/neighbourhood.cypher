// Distinct nodes within __DEPTH__ hops (pruning var-length expand), capped at $limit (the start counts); the edges among
// them are every outgoing relationship of each kept node, filtered to kept ends by the adapter.
MATCH (s:Entity {id: $id})
CALL (s) {
  MATCH (s)-[*1..__DEPTH__]-(m)
  WITH DISTINCT m
  RETURN m
  LIMIT $limit + 1
}
WITH s, [m IN collect(m) WHERE m <> s] AS others
WITH [s] + others[..$limit - 1] AS kept, size(others) > $limit - 1 AS truncated
UNWIND kept AS a
OPTIONAL MATCH (a)-[r]->(b:Entity)
RETURN a AS n, truncated, collect(CASE WHEN r IS NOT NULL THEN {type: type(r), end: b.id, props: properties(r)} END) AS out
