// Meetings of the alliances covering the region subtree, held within [$since, $until], with the
// matters decided at each; counted in service/workflows/matters.py.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
MATCH (a:Alliance)
WHERE root IS NULL OR EXISTS { (a)-[:COVERS]->(:Region)-[:PART_OF*0..]->(root) }
MATCH (m:Meeting)-[:OF]->(a)
WHERE ($since IS NULL OR m.heldOn >= $since) AND ($until IS NULL OR m.heldOn <= $until)
RETURN m.id AS id, a.id AS allianceId, m.heldOn AS heldOn,
       COLLECT { MATCH (x:Matter)-[:DECIDED_AT]->(m)
                 RETURN x {.id, .mode, .status, .due, .doneOn} ORDER BY x.id } AS matters
