// New nodes only: no existence check. An id that is already used (by any label) breaks the
// uniqueness constraint and fails the transaction, and the caller writes the batch again with
// upsert_nodes, which merges into existing nodes and reports clashes. A list item starts with
// nothing claimed (fragments/kept.cypher) and joins its tally (fragments/tally.cypher).
UNWIND $rows AS row
CREATE (n:__LABEL__:Entity)
SET n = row
SET n += __KEPT__
WITH count(n) AS created, collect(CASE WHEN n:ListItem THEN {now: properties(n)} END) AS touched
__TALLY__
RETURN created
