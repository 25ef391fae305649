// In-service members of a unit (inService true or unknown) who have not reported anywhere.
MATCH (m:Member)-[:BELONGS_TO]->(:Organisation {id: $unitId})
WHERE coalesce(m.inService, true) = true AND NOT EXISTS { (m)-[:REPORTED_TO]->(:Organisation) }
RETURN m
ORDER BY m.id
