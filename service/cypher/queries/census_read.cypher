// census_before for a write that names its nodes only ($ids: nodes it creates or changes, none of them a node
// another hangs below on a region path): each locked, in id order, then read as the tallies count it.
// replan=skip: anchored on ids, its first plan serves (census_before.cypher says why)
CYPHER replan=skip
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WITH n
ORDER BY n.id
SET n.`_lock` = true
REMOVE n.`_lock`
WITH n
__HOMES__
RETURN n.id AS id, label, kind, status, regions
