// New nodes only: no existence check. An id that is already used (by any label) breaks the
// uniqueness constraint and fails the transaction, and the caller writes the batch again with
// upsert_nodes, which merges into existing nodes and reports clashes. A list item starts with
// nothing claimed (fragments/kept.cypher).
UNWIND $rows AS row
CREATE (n:__LABEL__:Entity)
SET n = row
SET n += __KEPT__
RETURN count(n) AS created
