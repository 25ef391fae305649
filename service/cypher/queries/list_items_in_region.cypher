// list_items.cypher for a caller that names a region: the items are driven from the region down
// (`__FROMROOT__`: the subtree's regions, their units, what those published; the membership of
// fragments/item_region.cypher), so a page costs the region asked about, not every item in the province.
MATCH (root:Region {id: $regionId})
CALL (root) {
  MATCH __FROMROOT__
  WITH DISTINCT n AS i
  WHERE __FILTERS__
  RETURN count(i) AS total
}
OPTIONAL CALL (root) {
  MATCH __FROMROOT__
  WITH DISTINCT n AS i
  WHERE __FILTERS__
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
RETURN total, collect(CASE WHEN i IS NOT NULL THEN
         [labels(i), properties(i), key, publisher.id, labels(publisher), properties(publisher),
          coalesce(i.claimed, 0), coalesce(i.quantity, 0) - coalesce(i.claimed, 0)] END) AS rows
