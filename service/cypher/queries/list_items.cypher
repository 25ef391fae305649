// The three lists with claim state. `claimed` is kept on the item by claim_items / release_claim.
// The count and the page are two subqueries over the same filter: no row list is collected, the
// page is a top-k sort, and an empty page still answers `total` (OPTIONAL CALL).
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
// the total: summed from the item tallies when every filter has a tally form (total_tallied),
// counted from the items otherwise (total_counted); statements.py chooses
__TOTAL__
OPTIONAL CALL (root) {
  MATCH (i:ListItem)
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
         [labels(i), properties(i), key, publisher.id, __PUBLISHER__,
          coalesce(i.claimed, 0), coalesce(i.quantity, 0) - coalesce(i.claimed, 0)] END) AS rows
