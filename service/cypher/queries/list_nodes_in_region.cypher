// list_nodes.cypher for a caller that names a region: the candidates are driven from the region down
// (region_scope.from_root, the label's registry path from the subtree's regions, the same membership as
// scope.cypher), so a page costs the region asked about, not every node of the label in the province.
// The subtree is walked once: the total and the page share the collected nodes (a province-wide region
// collects the province's nodes of the label, which the page had to read and sort anyway).
MATCH (root:Region {id: $regionId})
CALL (root) {
  __FROMROOT__
  WITH n
  WHERE __FILTERS__
  RETURN collect(n) AS found
}
OPTIONAL CALL (found) {
  UNWIND found AS n
  WITH n, n[$orderBy] AS key
  WITH n, key, CASE WHEN key IS NULL THEN 1 ELSE 0 END AS nulls
  WHERE __KEYSET__
  RETURN n, key
  ORDER BY nulls, key __DIR__, n.id __DIR__
  LIMIT $limit
}
// one record for the page (a record per node cost the driver a Bolt message, a socket read and a Node
// object each); an empty page still answers `total`
RETURN size(found) AS total, collect(CASE WHEN n IS NOT NULL THEN [labels(n), properties(n), key] END) AS rows
