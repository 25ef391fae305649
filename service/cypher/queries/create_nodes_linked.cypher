// New nodes created with the one relationship each of them has from an existing node in the batch (a list
// item with its PUBLISHED link: batches.create_batch), as LOAD CSV writes a row: the node and its link in one
// step, instead of create_nodes_kept and then create_relationships seeking each new node again by its id
// (about 25 µs a row of the server's CPU, bench/RESULTS.md, issue 16). Each row is {start, props, rel}; rows
// come sorted by their start, so two batches written at once lock the start nodes in the same order. A row
// whose start is missing creates nothing and is left out of `created`, which the caller compares with the rows
// it sent. The rows hold what the store keeps on a new node (records.kept), and the list items join their
// tallies (fragments/tally.cypher) from `$touched`, counted by the caller, as in create_nodes_kept.
UNWIND $rows AS row
MATCH (a:__START__ {id: row.start})
CREATE (n:__LABEL__:Entity)
SET n = row.props
CREATE (a)-[r:__TYPE__]->(n)
SET r = row.rel
WITH count(n) AS created, $touched AS touched
__TALLY__
RETURN created
