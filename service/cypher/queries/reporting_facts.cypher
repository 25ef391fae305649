// Every report to an organisation located in the region subtree, with the reporter's own unit.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
MATCH (c:Organisation)
WHERE root IS NULL OR EXISTS { (c)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }
MATCH (m:Member)-[r:REPORTED_TO]->(c)
OPTIONAL MATCH (m)-[:BELONGS_TO]->(u:Organisation)
RETURN m.id AS memberId, u.id AS unitId, c.id AS communityId, r.on AS on, r.post AS post
