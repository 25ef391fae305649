// The region tallies before a write (service/graph/neo4j/census.py), in the writer's transaction: the nodes
// it writes ($ids), the nodes whose region path it changes — the near end of each relationship of a region
// path it writes ($links: {member, other, type, out, single}) unless it is there already and replaces none,
// and the nodes it deletes or rewires ($moved) — and every node below those (fragments/dependents.cypher).
// Each is locked, in id order, before it is read, so a concurrent writer of the same nodes reads them after
// this one commits. Per node: what the tallies count it as (fragments/homes.cypher).
CYPHER replan=skip
CALL () {
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN n
  UNION
  CALL () {
    UNWIND $links AS l
    MATCH (x:Entity {id: l.member})
    OPTIONAL MATCH (o:Entity {id: l.other})
    WITH x, l, o
    WHERE o IS NULL
       OR (l.out AND (NOT EXISTS { (x)-[r]->(o) WHERE type(r) = l.type }
                      OR (l.single AND EXISTS { (x)-[r]->(p) WHERE type(r) = l.type AND p <> o })))
       OR (NOT l.out AND (NOT EXISTS { (x)<-[r]-(o) WHERE type(r) = l.type }
                          OR (l.single AND EXISTS { (x)<-[r]-(p) WHERE type(r) = l.type AND p <> o })))
    RETURN x
    UNION
    UNWIND $moved AS id
    MATCH (x:Entity {id: id})
    RETURN x
  }
  __DEPENDENTS__
  RETURN n
}
WITH n
ORDER BY n.id
SET n.`_lock` = true
REMOVE n.`_lock`
WITH n
__HOMES__
RETURN n.id AS id, label, kind, status, regions
