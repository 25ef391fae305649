// 跟踪落实: make an organisation (and a person there) responsible for a matter with a deadline.
// The matter's lock is taken before its status is read; a reassignment replaces the assignee.
OPTIONAL MATCH (x:Matter {id: $matterId})
CALL (x) {
  WITH x WHERE x IS NOT NULL
  SET x.`_lock` = true
  REMOVE x.`_lock`
}
// properties(): a plain property read may be planned at the seek, before the lock (CacheProperties)
OPTIONAL MATCH (o:Organisation {id: $organisationId})
WITH x, o, properties(x).status AS before
WITH x, o, before,
     CASE
       WHEN x IS NULL THEN 'NO_MATTER'
       WHEN NOT coalesce(before, '') IN $allowed THEN 'ILLEGAL'
       WHEN o IS NULL THEN 'NO_ORGANISATION'
       ELSE 'OK'
     END AS outcome
CALL (x, o, outcome) {
  WITH x, o, outcome WHERE outcome = 'OK'
  CALL (x) {
    MATCH (x)-[old:ASSIGNED_TO]->(:Organisation)
    DELETE old
  }
  CREATE (x)-[r:ASSIGNED_TO]->(o)
  SET r.person = $person, r.on = $on,
      x.status = $to, x.due = coalesce($due, x.due), x.assignedOn = $on
}
RETURN outcome, before, x
