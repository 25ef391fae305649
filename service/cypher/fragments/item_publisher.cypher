// List item `i` was published by the unit $publisherId: its items' ids, looked up by the unique id
// index (an EXISTS pattern here would be tested on every item).
i.id IN COLLECT { MATCH (:Entity {id: $publisherId})-[:PUBLISHED]->(x:ListItem) RETURN x.id }
