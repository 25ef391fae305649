// withdraw(id:, reason:): the node stays, marked; listings, totals, search and analytics leave it
// out for every role but admin (fragments/node_current.cypher, item_current.cypher). The checks
// (label, not withdrawn before) ran on the node read in the same transaction. A list item is locked
// before its values are read and moves to the withdrawn tally of its values (fragments/tally.cypher).
MATCH (n:Entity {id: $id})
CALL (n) {
  WITH n WHERE n:ListItem
  SET n.`_lock` = true
  REMOVE n.`_lock`
}
WITH n, properties(n) AS before
SET n.withdrawn = $at, n.withdrawnReason = $reason, n.withdrawnBy = $keyId
WITH n, CASE WHEN n:ListItem THEN [{was: before, now: properties(n)}] ELSE [] END AS touched
__TALLY__
RETURN n
