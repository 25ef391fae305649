// Each claim takes its item's write lock before reading the claimed total, so concurrent claims
// on the last unit serialise and exactly one wins. Later rows see earlier rows' writes. The item
// keeps its claimed total and its remaining quantity (indexed: listings filter and sort on it),
// and an item whose remaining quantity runs out moves to the exhausted tally (fragments/tally.cypher).
UNWIND $claims AS c
CALL (c) {
  OPTIONAL MATCH (item:ListItem {id: c.item_id})
  OPTIONAL MATCH (unit:Entity {id: c.claimant_id})
  WITH c, item, CASE WHEN unit:Organisation OR unit:Enterprise THEN unit END AS unit
  CALL (item, unit) {
    WITH item, unit WHERE item IS NOT NULL AND unit IS NOT NULL
    SET item.`_lock` = true
    REMOVE item.`_lock`
  }
  OPTIONAL MATCH (who:Entity)-[prior:CLAIMED {id: c.id}]->(what:ListItem)
  // properties(): a plain `item.claimed` is planned as a cached read at the seek, before the lock
  // (CacheProperties), and then two concurrent claims both see the total neither has added to
  WITH c, item, unit, prior, who, what, properties(item) AS held
  WITH c, item, unit, prior, who, what, held,
       coalesce(held.claimed, 0) AS claimed, coalesce(held.quantity, 0) AS quantity
  WITH c, item, unit, prior, who, what, held, claimed, quantity,
       CASE
         WHEN item IS NULL THEN 'NO_ITEM'
         WHEN unit IS NULL THEN 'NO_CLAIMANT'
         WHEN prior IS NOT NULL AND (what <> item OR who <> unit) THEN 'ID_REUSED'
         WHEN prior IS NOT NULL THEN 'REPEAT'
         WHEN quantity - claimed < c.quantity THEN 'SHORT'
         ELSE 'OK'
       END AS outcome
  CALL (c, item, unit, outcome) {
    WITH c, item, unit, outcome WHERE outcome = 'OK'
    CREATE (unit)-[:CLAIMED {id: c.id, on: c.on, quantity: c.quantity, status: 'ACTIVE'}]->(item)
    SET item.claimed = coalesce(properties(item).claimed, 0) + c.quantity
    SET item.remaining = coalesce(properties(item).quantity, 0) - properties(item).claimed
  }
  WITH c, item, prior, outcome, held, properties(item) AS now
  RETURN outcome, coalesce(prior.quantity, c.quantity) AS quantity, coalesce(prior.on, c.on) AS on,
         coalesce(prior.status, 'ACTIVE') AS status,
         coalesce(now.quantity, 0) - coalesce(now.claimed, 0) AS remaining,
         CASE WHEN outcome = 'OK' THEN {was: held, now: now} END AS change
}
WITH collect({id: c.id, itemId: c.item_id, claimantId: c.claimant_id, outcome: outcome, quantity: quantity,
              on: on, status: status, remaining: remaining}) AS outcomes,
     collect(change) AS touched
__TALLY__
UNWIND outcomes AS o  // in the order of $claims
RETURN o.id AS id, o.itemId AS itemId, o.claimantId AS claimantId, o.outcome AS outcome, o.quantity AS quantity,
       o.on AS on, o.status AS status, o.remaining AS remaining
