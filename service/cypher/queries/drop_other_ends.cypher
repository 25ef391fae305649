// Single-valued at the start (a region has one parent, a member one organisation): before the
// row's relationship is upserted, the start's other __TYPE__ relationships are removed. With $per,
// only those whose $per property equals the row's.
UNWIND $rows AS row
MATCH (a:__START__ {id: row.start})-[r:__TYPE__]->(other)
WHERE other.id <> row.end AND ($per IS NULL OR r[$per] = row.props[$per])
DELETE r
RETURN count(*) AS removed
