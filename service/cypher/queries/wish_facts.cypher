// Each wish IN the region subtree published within [$since, $until], with the evidence of how
// far it got and who contributed; the funnel is counted in service/workflows/wishes.py.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
MATCH (w:Wish)
WHERE (root IS NULL OR EXISTS { (w)-[:IN]->(:Region)-[:PART_OF*0..]->(root) })
  AND ($since IS NULL OR w.publishedOn >= $since)
  AND ($until IS NULL OR w.publishedOn <= $until)
RETURN w.id AS id, w.status AS status, w.publishedOn AS publishedOn, w.fulfilledOn AS fulfilledOn,
       w.dispatchedOn IS NOT NULL OR EXISTS { (w)-[:DISPATCHED_TO]->(:Organisation) } AS dispatched,
       EXISTS { (w)<-[:ACCEPTED]-(:Entity) } AS accepted,
       EXISTS { (w)<-[:CONTRIBUTED]-(e:Enterprise) WHERE e.wishWarehouse = true } AS warehouse,
       COLLECT { MATCH (w)<-[:CONTRIBUTED]-(c:Entity) RETURN c.id } AS contributors
