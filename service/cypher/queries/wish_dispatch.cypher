// 派单: the wish's write lock is taken before its status is read, so concurrent transitions of
// one wish serialise and each sees the state the previous one left. $allowed / $to come from
// the transition table in service/workflows/wishes.py.
OPTIONAL MATCH (w:Wish {id: $wishId})
CALL (w) {
  WITH w WHERE w IS NOT NULL
  SET w.`_lock` = true
  REMOVE w.`_lock`
}
// properties(): a plain property read may be planned at the seek, before the lock (CacheProperties)
OPTIONAL MATCH (o:Organisation {id: $organisationId})
WITH w, o, properties(w).status AS before
WITH w, o, before,
     CASE
       WHEN w IS NULL THEN 'NO_WISH'
       WHEN NOT coalesce(before, '') IN $allowed THEN 'ILLEGAL'
       WHEN o IS NULL THEN 'NO_ORGANISATION'
       ELSE 'OK'
     END AS outcome
CALL (w, o, outcome) {
  WITH w, o, outcome WHERE outcome = 'OK'
  SET w.status = $to, w.dispatchedOn = $on
  MERGE (w)-[:DISPATCHED_TO]->(o)
}
RETURN outcome, before, w
