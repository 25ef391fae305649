// The links of one type from the nodes of one label that meet $conds within the region (as
// list_nodes.cypher selects them), whose properties meet $relConds and whose other end lies within
// the region too: how many nodes were selected, how many of them have such a link, and how many
// distinct nodes those links reach. An unknown region answers no row (the caller reads zeros).
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
CALL (root) {
  MATCH (n:__LABEL__)
  WHERE __FILTERS__ AND __SCOPE__
  RETURN count(n) AS nodes
}
CALL (root) {
  MATCH (n:__LABEL__)
  WHERE __FILTERS__ AND __SCOPE__
  MATCH (n)-[r:__TYPE__]->(m)
  WHERE __RELCONDS__
  WITH root, n AS start, m AS n
  WHERE __SCOPE__
  RETURN count(DISTINCT start) AS linked, count(DISTINCT n) AS reached
}
RETURN nodes, linked, reached
