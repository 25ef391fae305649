// Full-text hits over names, within the caller's region subtree when $regionId is set; the scope
// is applied before the limit, so a scoped caller still gets up to $first hits.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
CALL db.index.fulltext.queryNodes('names', $text) YIELD node, score
WITH root, node AS n, score
WHERE __FILTERS__ AND __SCOPE__
RETURN n, score
ORDER BY score DESC, n.id
LIMIT $first
