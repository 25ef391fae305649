// Single-valued at the end (an item has one publisher; with $per = 'role', an agreement has one
// party per role): before the row's relationship is upserted, the other __TYPE__ relationships
// into the end are removed, whatever the label of their start.
UNWIND $rows AS row
MATCH (b:__END__ {id: row.end})<-[r:__TYPE__]-(other)
WHERE other.id <> row.start AND ($per IS NULL OR r[$per] = row.props[$per])
DELETE r
RETURN count(*) AS removed
