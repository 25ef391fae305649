// Fulfilment: the acceptor and the named contributors CONTRIBUTED; a wish warehouse (如愿义仓)
// that supplied the goods is recorded with how (donation or at cost). Every contributor must
// exist, else nothing is written.
OPTIONAL MATCH (w:Wish {id: $wishId})
CALL (w) {
  WITH w WHERE w IS NOT NULL
  SET w.`_lock` = true
  REMOVE w.`_lock`
}
// properties(): a plain property read may be planned at the seek, before the lock (CacheProperties)
WITH w, properties(w).status AS before
CALL () {
  UNWIND $contributorIds AS cid
  OPTIONAL MATCH (found:Entity {id: cid})
  WITH cid, CASE WHEN found:Member OR found:Organisation OR found:Enterprise THEN found END AS c
  RETURN collect(c) AS contributors, collect(CASE WHEN c IS NULL THEN cid END) AS missing
}
OPTIONAL MATCH (house:Enterprise {id: $warehouseId})
WITH w, before, contributors, missing, house,
     CASE
       WHEN w IS NULL THEN 'NO_WISH'
       WHEN NOT coalesce(before, '') IN $allowed THEN 'ILLEGAL'
       WHEN size(missing) > 0 THEN 'NO_CONTRIBUTOR'
       WHEN $warehouseId IS NOT NULL AND (house IS NULL OR coalesce(house.wishWarehouse, false) <> true)
         THEN 'NOT_WAREHOUSE'
       ELSE 'OK'
     END AS outcome
CALL (w, contributors, house, outcome) {
  WITH w, contributors, house, outcome WHERE outcome = 'OK'
  SET w.status = $to, w.fulfilledOn = $on
  WITH w, contributors + COLLECT { MATCH (a)-[:ACCEPTED]->(w) RETURN a } AS givers, house
  UNWIND givers AS g
  MERGE (g)-[r:CONTRIBUTED]->(w)
  ON CREATE SET r.on = $on
}
CALL (w, house, outcome) {
  WITH w, house, outcome WHERE outcome = 'OK' AND house IS NOT NULL
  MERGE (house)-[r:CONTRIBUTED]->(w)
  SET r.on = coalesce(r.on, $on), r.supply = $supply
}
RETURN outcome, before, w, CASE WHEN size(missing) > 0 THEN missing[0] ELSE $warehouseId END AS target
