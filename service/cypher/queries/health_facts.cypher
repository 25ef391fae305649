// Facts for organisation health within the region subtree: BRANCH organisations with their full
// (not probationary) members, alliances with their last meeting, ACTIVE agreements with an end date.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
CALL (root) {
  MATCH (o:Organisation {level: 'BRANCH'})
  WHERE root IS NULL OR EXISTS { (o)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }
  RETURN 'BRANCH' AS kind, o.id AS id,
         COUNT { (m:Member)-[:BELONGS_TO]->(o) WHERE coalesce(m.probationary, false) = false } AS count,
         null AS date
  UNION ALL
  MATCH (a:Alliance)
  WHERE root IS NULL OR EXISTS { (a)-[:COVERS]->(:Region)-[:PART_OF*0..]->(root) }
  CALL (a) {
    OPTIONAL MATCH (m:Meeting)-[:OF]->(a)
    RETURN max(m.heldOn) AS last
  }
  RETURN 'ALLIANCE' AS kind, a.id AS id, 0 AS count, last AS date
  UNION ALL
  MATCH (g:Agreement {status: 'ACTIVE'})
  WHERE g.validTo IS NOT NULL
    AND (root IS NULL OR EXISTS { (g)<-[:PARTY_TO]-()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) })
  RETURN 'AGREEMENT' AS kind, g.id AS id, 0 AS count, g.validTo AS date
}
RETURN kind, id, count, date
