// Ids already used by a node of another label are reported and nothing is written. New ids are
// CREATEd (cheaper than MERGE; the batch is deduplicated and the uniqueness constraint guards
// against a concurrent writer), existing nodes have the row's properties merged in. A list item's
// remaining quantity follows its quantity in the same statement (fragments/kept.cypher).
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
  RETURN count(n) AS created
}
CALL (rows) {
  UNWIND rows AS r
  WITH r.node AS n, r.row AS row
  WHERE n IS NOT NULL
  WITH n, row, properties(n) AS before
  SET n += row
  SET n += __KEPT__
  RETURN count(CASE WHEN before <> properties(n) THEN 1 END) AS updated,
         count(CASE WHEN before = properties(n) THEN 1 END) AS unchanged
}
RETURN conflicts, created, updated, unchanged
