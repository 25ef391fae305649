// The end of every statement that writes list items (service/registry.py ITEM_TALLY): the item
// tallies follow the items in the writer's transaction. `touched` holds one map per item written,
// {was: its properties before the write or null, now: after it or null, times: how many such items
// (1 when absent)}. Each item leaves the tally of its values before and joins the tally of its values
// after; only tallies whose count changes are written, locked in key order, read after the lock
// (tests/contract/test_lock_plans.py). The key spells the combination unambiguously: each value as
// <length>:<text> or - for none, then + / 0 / - for remaining > 0 / <= 0 / none, then w if withdrawn, then
// #<n> for a shard: a batch of new items may name one (`now.shard`, batches.create_batch), so two batches
// written at once count into different tallies instead of waiting on each other's lock until commit; a
// total sums every tally its filters select, shards included, and a tally's count may go below 0 in one
// shard when an item counted in another leaves it.
// Yields one row (`tallied`), whatever `touched` holds.
CALL (touched) {
  UNWIND touched AS change
  UNWIND [[change.was, -coalesce(change.times, 1)], [change.now, coalesce(change.times, 1)]] AS side
  WITH side[0] AS p, side[1] AS delta
  WHERE p IS NOT NULL
  WITH p.list AS onList, p.category AS inCategory, p.status AS withStatus,
       CASE WHEN p.remaining > 0 THEN true WHEN p.remaining <= 0 THEN false END AS unclaimed,
       p.withdrawn IS NOT NULL AS withdrawn, p.shard AS shard, sum(delta) AS moved
  WHERE moved <> 0
  WITH onList, inCategory, withStatus, unclaimed, withdrawn, moved,
       reduce(k = '', v IN [onList, inCategory, withStatus] |
              k + CASE WHEN v IS NULL THEN '-' ELSE toString(size(toString(v))) + ':' + toString(v) END)
       + CASE unclaimed WHEN true THEN '+' WHEN false THEN '0' ELSE '-' END
       + CASE WHEN withdrawn THEN 'w' ELSE '' END
       + CASE WHEN shard IS NULL THEN '' ELSE '#' + toString(shard) END AS tallyKey
  ORDER BY tallyKey
  MERGE (tally:ItemTally {key: tallyKey})
    ON CREATE SET tally.list = onList, tally.category = inCategory, tally.status = withStatus,
                  tally.unclaimed = unclaimed, tally.withdrawn = withdrawn, tally.count = 0
  SET tally.`_lock` = true
  REMOVE tally.`_lock`
  SET tally.count = properties(tally).count + moved
  RETURN count(tally) AS tallied
}
