// list_items.cypher for a caller that names a region: the items are driven from the region down
// (region_scope.from_root: the subtree's regions, their units made distinct, what those published; the membership of
// fragments/item_region.cypher), so a page costs the region asked about, not every item in the province.
// The subtree is walked once: the total and the page share the collected items (a province-wide region
// collects the province's items, which the page had to read and sort anyway).
MATCH (root:Region {id: $regionId})
CALL (root) {
  __FROMROOT__
  WITH n AS i
  WHERE __FILTERS__
  RETURN collect(i) AS found
}
OPTIONAL CALL (found) {
  UNWIND found AS i
  WITH i AS n, i[$orderBy] AS key
  WITH n, key, CASE WHEN key IS NULL THEN 1 ELSE 0 END AS nulls
  WHERE __KEYSET__
  RETURN n AS i, key
  ORDER BY nulls, key __DIR__, i.id __DIR__
  LIMIT $limit
}
CALL (i) {
  OPTIONAL MATCH (p)-[:PUBLISHED]->(i)
  RETURN p AS publisher ORDER BY p.id LIMIT 1
}
// one record for the page (a record per node cost the driver a Bolt message, a socket read and a Node
// object each); an empty page still answers `total`
RETURN size(found) AS total, collect(CASE WHEN i IS NOT NULL THEN
         [labels(i), properties(i), key, publisher.id, __PUBLISHER__,
          coalesce(i.claimed, 0), coalesce(i.quantity, 0) - coalesce(i.claimed, 0)] END) AS rows
