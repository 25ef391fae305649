// 双报到: the member's lock is taken before their existing reports are read, so a member reports
// to one community even when two reports arrive at once. $kinds: the receiving organisation kinds.
OPTIONAL MATCH (m:Member {id: $memberId})
CALL (m) {
  WITH m WHERE m IS NOT NULL
  SET m.`_lock` = true
  REMOVE m.`_lock`
}
OPTIONAL MATCH (o:Organisation {id: $organisationId})
WITH m, o, COLLECT { MATCH (m)-[:REPORTED_TO]->(p:Organisation) RETURN p.id ORDER BY p.id } AS priors
WITH m, o, priors,
     CASE
       WHEN m IS NULL THEN 'NO_MEMBER'
       WHEN o IS NULL THEN 'NO_ORGANISATION'
       WHEN $organisationId IN priors THEN 'REPEAT'
       WHEN size(priors) > 0 THEN 'ELSEWHERE'
       WHEN m.inService = false THEN 'RETIRED'
       WHEN NOT coalesce(o.kind, '') IN $kinds THEN 'NOT_COMMUNITY'
       ELSE 'OK'
     END AS outcome
CALL (m, o, outcome) {
  WITH m, o, outcome WHERE outcome = 'OK'
  CREATE (m)-[r:REPORTED_TO]->(o)
  SET r.on = $on, r.post = $post
}
OPTIONAL MATCH (m)-[r:REPORTED_TO]->(o)
RETURN outcome, o.kind AS kind, CASE WHEN size(priors) > 0 THEN priors[0] END AS current,
       r.on AS on, r.post AS post
