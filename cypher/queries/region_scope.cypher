// Every node within a region subtree (the same membership rules as list_nodes), each with its
// outgoing relationships; the adapter keeps edges whose both ends are in scope. Counted or
// projected by the caller.
__SUBTREE__
OPTIONAL MATCH (n)-[r]->(b:Entity)
RETURN n, collect(CASE WHEN r IS NOT NULL THEN {type: type(r), end: b.id, props: properties(r)} END) AS out
