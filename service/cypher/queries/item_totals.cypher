// Sums over the list items the ItemQuery filters select (list_items.cypher without the page):
// how many, their quantity, claimed and remaining quantity, and their distinct publishers.
// An unknown region answers no row (the caller reads zeros).
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
CALL (root) {
  MATCH (i:ListItem)
  WHERE __FILTERS__
  RETURN count(i) AS items,
         sum(coalesce(i.quantity, 0)) AS quantity,
         sum(coalesce(i.claimed, 0)) AS claimed,
         sum(coalesce(i.quantity, 0) - coalesce(i.claimed, 0)) AS remaining
}
CALL (root) {
  MATCH (i:ListItem)
  WHERE __FILTERS__
  MATCH (p)-[:PUBLISHED]->(i)
  RETURN count(DISTINCT p) AS publishers
}
RETURN items, quantity, claimed, remaining, publishers
