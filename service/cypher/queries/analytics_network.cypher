// The analytics projection's input: every unit in scope with what it shares with others.
// Scope: the whole graph, or units LOCATED_IN the region subtree; with $allianceId, only the
// alliance's member organisations, its leader and the enterprises those are EMBEDDED_IN.
// Group sizes count every party / member, in scope or not (service/analytics/projection.py).
// Withdrawn units and agreements are left out (withdraw(id:, reason:)).
CALL () {
  MATCH (u:Organisation|Enterprise) WHERE $regionId IS NULL RETURN u
  UNION
  MATCH (:Region {id: $regionId})<-[:PART_OF*0..]-(:Region)<-[:LOCATED_IN]-(u:Organisation|Enterprise) RETURN u
}
WITH u
WHERE u.withdrawn IS NULL AND ($allianceId IS NULL
   OR EXISTS { (u)-[:MEMBER_OF]->(:Alliance {id: $allianceId}) }
   OR EXISTS { (:Alliance {id: $allianceId})-[:LED_BY]->(u) }
   OR EXISTS { (u)<-[:EMBEDDED_IN]-(:Organisation)-[:MEMBER_OF]->(:Alliance {id: $allianceId}) }
   OR EXISTS { (u)<-[:EMBEDDED_IN]-(:Organisation)<-[:LED_BY]-(:Alliance {id: $allianceId}) })
RETURN u,
  [(u)-[:LOCATED_IN]->(r:Region) | r.id] AS regions,
  [(u)-[:PARTY_TO]->(a:Agreement) WHERE a.status = 'ACTIVE' AND a.withdrawn IS NULL | {id: a.id, size: COUNT { (a)<-[:PARTY_TO]-() }}]
    AS agreements,
  // MEMBER_OF runs unit -> alliance and LED_BY alliance -> unit: one undirected pattern finds both
  [(u)-[:MEMBER_OF|LED_BY]-(al:Alliance)
    | {id: al.id, size: COUNT { MATCH (al)-[:MEMBER_OF|LED_BY]-(o:Organisation) RETURN DISTINCT o }}] AS alliances,
  [(u)-[c:CLAIMED]->(:ListItem)<-[:PUBLISHED]-(p) WHERE c.status = 'ACTIVE' | p.id] AS claimedFrom,
  COUNT { (u)-[:PARTY_TO]->(:Agreement) } AS signed,
  COUNT { (u)-[:PUBLISHED]->(:ListItem) } AS published,
  COUNT { (u)-[c:CLAIMED]->(:ListItem) WHERE c.status = 'ACTIVE' } AS claims
ORDER BY u.id
