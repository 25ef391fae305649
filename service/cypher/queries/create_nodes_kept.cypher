// New nodes whose rows already hold what the store keeps on them (a new list item's claimed 0 and remaining
// quantity, set by batches.create_batch as fragments/kept.cypher sets them for a node with nothing claimed):
// no existence check, as create_nodes, and no read-back of the node (the fragment reads properties(n) three
// times a row, 31 db hits of create_nodes' 42 a row, behind an Eager; bench/RESULTS.md, issue 16). The new
// list items join their tallies (fragments/tally.cypher) from `$touched`, which the caller counted from the
// rows (batches.new_item_tallies: one map per combination with its `times`, none for other labels), so the
// server groups a few maps instead of one per item.
UNWIND $rows AS row
CREATE (n:__LABEL__:Entity)
SET n = row
WITH count(n) AS created, $touched AS touched
__TALLY__
RETURN created
