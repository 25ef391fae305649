// Distinct nodes within __DEPTH__ hops (pruning var-length expand), capped at $limit (the start
// counts) and, for a region-scoped caller, only those within the region subtree (decided before
// the cap, so `truncated` stays true to what the caller may see). The edges among them are the
// outgoing relationships of each kept node that end at a kept node. One record for the whole answer
// (a record per node cost the driver a Bolt message and a Node object each: bench/RESULTS.md, session 10);
// none when the start is unknown.
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
  WHERE b IN kept
WITH truncated, a, collect(CASE WHEN r IS NOT NULL THEN {type: type(r), end: b.id, props: properties(r)} END) AS out
RETURN truncated, collect([labels(a), properties(a), out]) AS nodes
