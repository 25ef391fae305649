MATCH (n:Entity)
OPTIONAL MATCH (n)-[r]->(b:Entity)
RETURN n, collect(CASE WHEN r IS NOT NULL THEN {type: type(r), end: b.id, props: properties(r)} END) AS out
