// New nodes only: no existence check. An id that is already used (by any label) breaks the
// uniqueness constraint and fails the transaction, and the caller writes the batch again with
// upsert_nodes, which merges into existing nodes and reports clashes.
UNWIND $rows AS row
CREATE (n:__LABEL__:Entity)
SET n = row
RETURN count(n) AS created
