// withdraw(id:, reason:): the node stays, marked; listings, totals, search and analytics leave it
// out for every role but admin (fragments/node_current.cypher, item_current.cypher). The checks
// (label, not withdrawn before) ran on the node read in the same transaction.
MATCH (n:Entity {id: $id})
SET n.withdrawn = $at, n.withdrawnReason = $reason, n.withdrawnBy = $keyId
RETURN n
