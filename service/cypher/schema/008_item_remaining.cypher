// A list item keeps its claimed total and its remaining quantity (the registry's `kept` properties:
// every writer of an item or of its claims sets them in its own transaction), so the unclaimed
// filter is a range seek (with its list, or alone) and a page by remaining walks an index in order
// (ties on id, as every page).
CREATE INDEX list_item_remaining IF NOT EXISTS FOR (n:ListItem) ON (n.remaining, n.id);
CREATE INDEX list_item_list_remaining IF NOT EXISTS FOR (n:ListItem) ON (n.list, n.remaining, n.id);
// The items written before: their claimed total from their ACTIVE claims, in batches.
MATCH (i:ListItem)
CALL (i) {
  OPTIONAL MATCH ()-[c:CLAIMED {status: 'ACTIVE'}]->(i)
  WITH sum(coalesce(c.quantity, 0)) AS claimed
  SET i.claimed = claimed, i.remaining = coalesce(i.quantity, 0) - claimed
} IN TRANSACTIONS OF 10000 ROWS
