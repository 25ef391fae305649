// Relationships that cannot exist yet, because one of their ends was created in the same
// transaction: no check for an existing one and nothing to replace. Rows come grouped by start
// (one index seek per start, not per row); a row whose start or end is missing matches nothing
// and is left out of the count, which the caller compares with the rows it sent.
UNWIND $groups AS g
MATCH (a:__START__ {id: g.start})
UNWIND g.rows AS row
MATCH (b:__END__ {id: row.end})
CREATE (a)-[r:__TYPE__]->(b)
SET r = row.props
RETURN count(r) AS created
