// A keyset page of one label: nulls sort last, ties break on id. The count and the page are
// two subqueries over the same filter: no row list is collected, the page is a top-k sort, and
// an empty page still answers `total` (OPTIONAL CALL).
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
CALL (root) {  // the total: the count without `withdrawn IS NULL` (the count store when nothing else filters)
  MATCH (n:__LABEL__)
  WHERE __COUNTED__ AND __SCOPE__
  RETURN count(n) AS counted
}
CALL (root) {  // less the withdrawn ones, sought by <label>_withdrawn (none when they are listed too)
  MATCH (n:__LABEL__)
  WHERE __LESS__ AND __SCOPE__
  RETURN count(n) AS less
}
WITH root, counted - less AS total
OPTIONAL CALL (root) {
  MATCH (n:__LABEL__)
  WHERE __FILTERS__ AND __SCOPE__
  WITH n, n[$orderBy] AS key
  WITH n, key, CASE WHEN key IS NULL THEN 1 ELSE 0 END AS nulls
  WHERE __KEYSET__
  RETURN n, key
  ORDER BY nulls, key __DIR__, n.id __DIR__
  LIMIT $limit
}
// one record for the page (a record per node cost the driver a Bolt message, a socket read and a Node
// object each); an empty page still answers `total`
RETURN total, collect(CASE WHEN n IS NOT NULL THEN [labels(n), properties(n), key] END) AS rows
