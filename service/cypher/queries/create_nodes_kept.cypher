// New nodes whose rows already hold what the store keeps on them (a new list item's claimed 0 and remaining
// quantity, set by batches.create_batch as fragments/kept.cypher sets them for a node with nothing claimed):
// no existence check, as create_nodes, and no read-back of the node (the fragment reads properties(n) three
// times a row, 31 db hits of create_nodes' 42 a row, behind an Eager; bench/RESULTS.md, issue 16). A list
// item joins its tally (fragments/tally.cypher) from its row, which is all it holds.
UNWIND $rows AS row
CREATE (n:__LABEL__:Entity)
SET n = row
WITH count(n) AS created, collect(CASE WHEN n:ListItem THEN {now: row} END) AS touched
__TALLY__
RETURN created
