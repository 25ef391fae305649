// One record for the whole batch: a record per row cost the driver a Bolt message, a socket read and a
// Node object each (hundreds on a dashboard page).
UNWIND $ids AS id
MATCH (s:Entity {id: id})<-[r:__TYPE__]-(n)
RETURN collect([id, labels(n), properties(n), properties(r)]) AS rows
