// Distinct nodes within __DEPTH__ hops (pruning var-length expand), capped at $limit (the start
// counts) and, for a region-scoped caller, only those within the region subtree (decided before
// the cap, so `truncated` stays true to what the caller may see). The edges among them are every
// outgoing relationship of each kept node, filtered to kept ends by the adapter.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
MATCH (s:Entity {id: $id})
WITH root, s, s AS n
WHERE __SCOPE__
CALL (root, s) {
  MATCH (s)-[*1..__DEPTH__]-(m)
  WITH DISTINCT m AS n
  WHERE __SCOPE__
  RETURN n AS m
  LIMIT $limit + 1
}
WITH s, [m IN collect(m) WHERE m <> s] AS others
WITH [s] + others[..$limit - 1] AS kept, size(others) > $limit - 1 AS truncated
UNWIND kept AS a
OPTIONAL MATCH (a)-[r]->(b:Entity)
RETURN a AS n, truncated, collect(CASE WHEN r IS NOT NULL THEN {type: type(r), end: b.id, props: properties(r)} END) AS out
