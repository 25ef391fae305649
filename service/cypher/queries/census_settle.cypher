// The region tallies after a write (service/graph/neo4j/census.py), in the writer's transaction: each node
// read before ($before: {label, kind, status, regions}) leaves the tallies it counted in, and each node of
// $ids (those read before and the writer's own) that is there now joins the tallies of what it is now
// (fragments/homes.cypher). No other node can have moved: a node's regions change only with its own path
// (then census_before read it) or a node above it on the path (then it was read as that one's dependent).
// Only tallies whose count changes are written, locked in key order and read after the lock (as
// fragments/tally.cypher does); a batch of new nodes may count into a shard's tallies ($shard: the key ends
// in #<n>), which a region's count sums with the rest.
// The region entries of the nodes of $ids whose label has them ($entered, registry REGION_ENTRIES) follow
// their regions the same way: those of a region no longer holding the node (or of a node no longer there)
// deleted, one made for each region newly holding it; the node's lock guards them.
// replan=skip: anchored on ids, its first plan serves (census_before.cypher says why)
CYPHER replan=skip
CALL () {
  // a gone node of a label with entries was read as one ($entered holds its label): only then looked for
  UNWIND CASE WHEN size($entered) = 0 THEN [] ELSE $ids END AS gone
  WITH gone WHERE NOT EXISTS { MATCH (:Entity {id: gone}) }
  MATCH (e:RegionEntry {id: gone})
  DELETE e
}
UNWIND $ids AS id
MATCH (n:Entity {id: id})
__HOMES__
CALL (n, label, regions) {
  WITH n, label, regions WHERE label IN $entered
  OPTIONAL MATCH (e:RegionEntry {id: n.id})
  WITH n, label, regions, collect(e) AS had
  WITH n, label, [e IN had WHERE NOT e.region IN regions] AS stale,
       [r IN regions WHERE NOT r IN [e IN had | e.region]] AS fresh
  FOREACH (e IN stale | DELETE e)
  FOREACH (region IN fresh | CREATE (:RegionEntry {region: region, label: label, id: n.id}))
}
WITH collect({label: label, kind: kind, status: status, regions: regions, delta: 1}) AS now
UNWIND now + [b IN $before | {label: b.label, kind: b.kind, status: b.status, regions: b.regions, delta: -1}] AS side
UNWIND side.regions AS region
WITH region, side.label AS label, side.kind AS kind, side.status AS status, sum(side.delta) AS moved
WHERE moved <> 0
WITH region, label, kind, status, moved,
     __REGIONKEY__ + CASE WHEN $shard IS NULL THEN '' ELSE '#' + toString($shard) END AS tallyKey
ORDER BY tallyKey
MERGE (tally:RegionTally {key: tallyKey})
  ON CREATE SET tally.region = region, tally.label = label, tally.kind = kind, tally.status = status, tally.count = 0
SET tally.`_lock` = true
REMOVE tally.`_lock`
SET tally.count = properties(tally).count + moved
RETURN count(tally) AS tallied
