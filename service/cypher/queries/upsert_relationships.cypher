// Both ends must exist with the model's labels; dangling rows are reported and nothing is written.
// One relationship per (start, type, end): created when absent, its properties merged otherwise.
UNWIND $rows AS row
OPTIONAL MATCH (a:__START__ {id: row.start})
OPTIONAL MATCH (b:__END__ {id: row.end})
WITH collect({row: row, a: a, b: b}) AS pairs
WITH pairs,
     [p IN pairs WHERE p.a IS NULL | p.row.start] AS missingStart,
     [p IN pairs WHERE p.b IS NULL | p.row.end] AS missingEnd
CALL (pairs, missingStart, missingEnd) {
  UNWIND CASE WHEN size(missingStart) + size(missingEnd) = 0 THEN pairs ELSE [] END AS p
  WITH p.a AS a, p.b AS b, p.row.props AS props
  OPTIONAL MATCH (a)-[old:__TYPE__]->(b)
  CALL (a, b, old, props) {
    WITH a, b, props WHERE old IS NULL
    CREATE (a)-[r:__TYPE__]->(b)
    SET r = props
  }
  WITH old, props, properties(old) AS before
  CALL (old, props) {
    WITH old, props WHERE old IS NOT NULL
    SET old += props
  }
  RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created,
         count(CASE WHEN old IS NOT NULL AND before <> properties(old) THEN 1 END) AS updated,
         count(CASE WHEN old IS NOT NULL AND before = properties(old) THEN 1 END) AS unchanged
}
RETURN missingStart, missingEnd, created, updated, unchanged
