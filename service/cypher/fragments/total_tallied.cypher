// A listing's `total` as the sum of the item tallies its filters select (tally.cypher): a few tallies,
// however many items they count. Chosen for `__TOTAL__` when every filter has a tally form (tally_*).
CALL (root) {
  MATCH (t:ItemTally)
  WHERE __TALLIED__
  RETURN sum(t.count) AS total
}
