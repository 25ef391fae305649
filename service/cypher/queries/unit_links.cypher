// Every relationship of a unit, seen from it (mergeUnits plans the move from these).
MATCH (u:Entity {id: $id})-[r]-(o)
RETURN type(r) AS type, startNode(r) = u AS outgoing, o.id AS other,
       [l IN labels(o) WHERE l <> 'Entity'][0] AS otherLabel, properties(r) AS props
