// List item `i` was published by the unit $publisherId.
EXISTS { (:Entity {id: $publisherId})-[:PUBLISHED]->(i) }
