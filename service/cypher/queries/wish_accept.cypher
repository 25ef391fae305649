// 接单: lock, then read the status; of two acceptors racing, the second sees ACCEPTED and is refused.
OPTIONAL MATCH (w:Wish {id: $wishId})
CALL (w) {
  WITH w WHERE w IS NOT NULL
  SET w.`_lock` = true
  REMOVE w.`_lock`
}
// properties(): a plain property read may be planned at the seek, before the lock (CacheProperties)
OPTIONAL MATCH (found:Entity {id: $actorId})
WITH w, CASE WHEN found:Member OR found:Organisation OR found:Enterprise THEN found END AS actor,
     properties(w).status AS before
WITH w, actor, before,
     CASE
       WHEN w IS NULL THEN 'NO_WISH'
       WHEN NOT coalesce(before, '') IN $allowed THEN 'ILLEGAL'
       WHEN actor IS NULL THEN 'NO_ACTOR'
       ELSE 'OK'
     END AS outcome
CALL (w, actor, outcome) {
  WITH w, actor, outcome WHERE outcome = 'OK'
  SET w.status = $to, w.acceptedOn = $on
  CREATE (actor)-[:ACCEPTED {on: $on}]->(w)
}
RETURN outcome, before, w
