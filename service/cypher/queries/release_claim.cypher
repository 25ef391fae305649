// A release gives the claim's quantity back to the item, locked before it is read; an item that had
// none left moves back to the unclaimed tally (fragments/tally.cypher).
OPTIONAL MATCH (unit:Entity)-[r:CLAIMED {id: $claimId}]->(item:ListItem)
CALL (item) {
  WITH item WHERE item IS NOT NULL
  SET item.`_lock` = true
  REMOVE item.`_lock`
}
// properties(): a plain property read may be planned at the seek, before the lock (CacheProperties)
WITH unit, r, item, properties(r).status = 'ACTIVE' AS releasing, properties(item) AS held
CALL (r, item, releasing) {
  WITH r, item, releasing WHERE releasing
  SET item.claimed = properties(item).claimed - r.quantity, r.status = 'RELEASED', r.releasedOn = $on
  SET item.remaining = coalesce(properties(item).quantity, 0) - properties(item).claimed
}
WITH unit, r, item, properties(item) AS now,
     CASE WHEN releasing THEN [{was: held, now: properties(item)}] ELSE [] END AS touched
__TALLY__
RETURN r IS NOT NULL AS found, item.id AS itemId, unit.id AS claimantId, r.quantity AS quantity,
       r.on AS on, r.status AS status, now.quantity - now.claimed AS remaining
