// Ids already used by a node of another label are reported and nothing is written. New ids are
// CREATEd (cheaper than MERGE; the batch is deduplicated and the uniqueness constraint guards
// against a concurrent writer), existing nodes have the row's properties merged in. A list item's
// remaining quantity follows its quantity in the same statement (fragments/kept.cypher), and its
// tally follows its values (fragments/tally.cypher): an existing item is locked before its values
// are read, so a concurrent claim cannot change them between the read and the write.
UNWIND $rows AS row
OPTIONAL MATCH (existing:Entity {id: row.id})
WITH collect({row: row, node: existing}) AS rows,
     collect(CASE WHEN existing IS NOT NULL AND NOT existing:__LABEL__
                  THEN {id: row.id, label: [l IN labels(existing) WHERE l <> 'Entity'][0]} END) AS conflicts
WITH CASE WHEN size(conflicts) = 0 THEN rows ELSE [] END AS rows, conflicts
CALL (rows) {
  UNWIND rows AS r
  WITH r WHERE r.node IS NULL
  CREATE (n:__LABEL__:Entity)
  SET n = r.row
  SET n += __KEPT__
  RETURN count(n) AS created, collect(CASE WHEN n:ListItem THEN {now: properties(n)} END) AS born
}
CALL (rows) {
  UNWIND rows AS r
  WITH r.node AS n, r.row AS row
  WHERE n IS NOT NULL
  CALL (n) {
    WITH n WHERE n:ListItem
    SET n.`_lock` = true
    REMOVE n.`_lock`
  }
  WITH n, row, properties(n) AS before
  SET n += row
  SET n += __KEPT__
  WITH n, before, properties(n) AS after
  RETURN count(CASE WHEN before <> after THEN 1 END) AS updated,
         count(CASE WHEN before = after THEN 1 END) AS unchanged,
         collect(CASE WHEN n:ListItem AND before <> after THEN {was: before, now: after} END) AS changed
}
WITH conflicts, created, updated, unchanged, born + changed AS touched
__TALLY__
RETURN conflicts, created, updated, unchanged
