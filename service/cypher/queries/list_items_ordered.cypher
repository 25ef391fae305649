// list_items.cypher for a sort key the registry declares sortable for ListItem, named in the text
// so the planner can walk its index in order and stop after the page (as list_nodes_ordered.cypher:
// the keyed items first, the items without the key only when they do not fill the page). On one
// list, `__WITHIN__` orders by the list first and `__HINT__` names the (list, id) index for a page
// by id: fragments order_within_list and hint_list_id, chosen by the code.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
// the total: summed from the item tallies when every filter has a tally form (total_tallied),
// counted from the items otherwise (total_counted); statements.py chooses
__TOTAL__
CALL (root) {
  MATCH (i:ListItem)
  __HINT__
  WHERE i.__KEY__ IS NOT NULL AND $afterNulls = 0 AND __FILTERS__
    AND ($afterId IS NULL OR i.__KEY__ __CMP__ $afterKey OR (i.__KEY__ = $afterKey AND i.id __CMP__ $afterId))
  WITH i ORDER BY __WITHIN__ i.__KEY__ __DIR__, i.id __DIR__ LIMIT $limit
  RETURN collect(i) AS keyed
}
CALL (root, keyed) {
  UNWIND CASE WHEN size(keyed) < $limit THEN [root] ELSE [] END AS short  // no scan for a full page
  MATCH (i:ListItem)
  WHERE i.__KEY__ IS NULL AND __FILTERS__ AND ($afterNulls = 0 OR i.id __CMP__ $afterId)
  WITH i ORDER BY i.id __DIR__ LIMIT $limit
  RETURN collect(i) AS unkeyed
}
WITH total, (keyed + unkeyed)[..$limit] AS found
UNWIND CASE WHEN size(found) = 0 THEN [null] ELSE found END AS i
CALL (i) {
  OPTIONAL MATCH (p)-[:PUBLISHED]->(i)
  RETURN p AS publisher ORDER BY p.id LIMIT 1
}
// one record for the page (a record per node cost the driver a Bolt message, a socket read and a Node
// object each); an empty page still answers `total`
RETURN total, collect(CASE WHEN i IS NOT NULL THEN
         [labels(i), properties(i), i.__KEY__, publisher.id, __PUBLISHER__,
          coalesce(i.claimed, 0), coalesce(i.quantity, 0) - coalesce(i.claimed, 0)] END) AS rows
