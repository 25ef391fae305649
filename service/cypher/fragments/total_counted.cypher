// A listing's `total` counted from the nodes: the count without `withdrawn IS NULL` (the count store
// when nothing else filters) less the withdrawn ones, sought by <label>_withdrawn (none when they are
// listed too). Chosen for `__TOTAL__` when a filter has no tally form (a publisher, a region).
CALL (root) {
  MATCH (i:ListItem)
  WHERE __COUNTED__
  RETURN count(i) AS counted
}
CALL (root) {
  MATCH (i:ListItem)
  WHERE __LESS__
  RETURN count(i) AS less
}
WITH root, counted - less AS total
