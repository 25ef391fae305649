// An unfinished matter someone is responsible for becomes DONE; lock first, then read.
OPTIONAL MATCH (x:Matter {id: $matterId})
CALL (x) {
  WITH x WHERE x IS NOT NULL
  SET x.`_lock` = true
  REMOVE x.`_lock`
}
// properties(): a plain property read may be planned at the seek, before the lock (CacheProperties)
WITH x, properties(x).status AS before, EXISTS { (x)-[:ASSIGNED_TO]->(:Organisation) } AS assigned
WITH x, before,
     CASE
       WHEN x IS NULL THEN 'NO_MATTER'
       WHEN NOT coalesce(before, '') IN $allowed THEN 'ILLEGAL'
       WHEN NOT assigned THEN 'UNASSIGNED'
       ELSE 'OK'
     END AS outcome
CALL (x, outcome) {
  WITH x, outcome WHERE outcome = 'OK'
  SET x.status = $to, x.doneOn = $on
}
RETURN outcome, before, x
