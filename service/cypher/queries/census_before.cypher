// The region tallies before a write (service/graph/neo4j/census.py), in the writer's transaction. It locks, then
// reads: the nodes whose region path the write changes, i.e. the near end of each relationship of a region
// path it writes ($links: {member, other, type, out, single}) unless that one is there already and replaces
// none, and the nodes it deletes or rewires ($moved); then every node below those (the dependents walk,
// rendered by region_scope.dependents_fragment), the nodes it writes ($ids) and the far end of each link,
// all locked in id order before they are read (properties through properties(), never cached before the lock).
// A concurrent writer of the same nodes thus reads them after this one commits. Per node: what the tallies
// count it as (fragments/homes.cypher).
// replan=skip: the statement is anchored on ids, so its first plan serves; planning it again each time a load
// or a clear moves the graph's statistics had cost seconds a load.
CYPHER replan=skip
// First the nodes whose path it changes, locked: only then their dependents are read, so a node a concurrent
// writer has just hung below one of them (it locks the far end of its link, below) is among them.
CALL () {
  UNWIND $links AS l
  MATCH (x:Entity {id: l.member})
  OPTIONAL MATCH (o:Entity {id: l.other})
  // x's links of the type, in the link's direction, as a list: an EXISTS subquery with the type in a
  // WHERE was planned to cost a millisecond a row (17,635 regions of a load: 52 s)
  WITH x, l, o, CASE WHEN l.out THEN [(x)-[r]->(p) WHERE type(r) = l.type | p]
                     ELSE [(x)<-[r]-(p) WHERE type(r) = l.type | p] END AS linked
  WHERE o IS NULL OR NOT o IN linked OR (l.single AND any(p IN linked WHERE p <> o))
  RETURN x
  UNION
  UNWIND $moved AS id
  MATCH (x:Entity {id: id})
  RETURN x
}
WITH x
ORDER BY x.id
SET x.`_lock` = true
REMOVE x.`_lock`
WITH collect(x) AS moved
__DEPENDENTS__
CALL () {
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN collect(n) AS named
}
CALL () {
  UNWIND $links AS l
  MATCH (n:Entity {id: l.other})
  RETURN collect(n) AS above
}
UNWIND below + named + above AS n
WITH DISTINCT n
ORDER BY n.id
SET n.`_lock` = true
REMOVE n.`_lock`
WITH n
__HOMES__
RETURN n.id AS id, label, kind, status, regions
