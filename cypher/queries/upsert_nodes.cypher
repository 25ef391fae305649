// Conflicting ids (already used by a node of another label) are reported and nothing is written.
UNWIND $rows AS row
OPTIONAL MATCH (existing:Entity {id: row.id})
WITH row, existing, existing IS NOT NULL AND NOT existing:__LABEL__ AS conflict
WITH collect({row: row, existed: existing IS NOT NULL}) AS rows,
     collect(CASE WHEN conflict THEN {id: row.id, label: [l IN labels(existing) WHERE l <> 'Entity'][0]} END) AS conflicts
CALL (rows, conflicts) {
  UNWIND CASE WHEN size(conflicts) = 0 THEN rows ELSE [] END AS r
  MERGE (n:__LABEL__ {id: r.row.id})
  ON CREATE SET n:Entity
  WITH r, n, properties(n) AS before
  SET n += r.row
  RETURN count(CASE WHEN NOT r.existed THEN 1 END) AS created,
         count(CASE WHEN r.existed AND before <> properties(n) THEN 1 END) AS updated,
         count(CASE WHEN r.existed AND before = properties(n) THEN 1 END) AS unchanged
}
RETURN conflicts, created, updated, unchanged
