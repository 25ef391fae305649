// Coverage gaps within the whole graph ($regionId null) or a region subtree, in one row:
// community / village regions whose own party organisation (kind = the region's level) shares
// no ACTIVE agreement with another unit; items not CLOSED, published before $publishedBefore with
// quantity left to claim; units party to an agreement that publish nothing and claim nothing.
CALL () {
  MATCH (r:Region) WHERE $regionId IS NULL RETURN r
  UNION
  MATCH (:Region {id: $regionId})<-[:PART_OF*0..]-(r:Region) RETURN r
}
WITH collect(r) AS regions
CALL (regions) {
  UNWIND regions AS r
  WITH r
  WHERE r.level IN ['COMMUNITY', 'VILLAGE']
    AND NOT EXISTS {
      MATCH (r)<-[:LOCATED_IN]-(o:Organisation)-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(other)
      WHERE o.kind = r.level AND a.status = 'ACTIVE' AND other <> o
    }
  RETURN collect(r) AS unpaired
}
CALL (regions) {
  CALL (regions) {
    MATCH (u:Organisation|Enterprise) WHERE $regionId IS NULL RETURN u
    UNION
    UNWIND regions AS r
    MATCH (r)<-[:LOCATED_IN]-(u:Organisation|Enterprise) WHERE $regionId IS NOT NULL
    RETURN u
  }
  RETURN collect(u) AS units
}
CALL (units) {
  CALL (units) {
    MATCH (i:ListItem) WHERE $regionId IS NULL RETURN i
    UNION
    UNWIND units AS u
    MATCH (u)-[:PUBLISHED]->(i:ListItem) WHERE $regionId IS NOT NULL
    RETURN i
  }
  WITH i
  WHERE coalesce(i.status, 'OPEN') <> 'CLOSED' AND i.publishedOn < $publishedBefore
    AND coalesce(i.claimed, 0) < coalesce(i.quantity, 0)
  CALL (i) {
    OPTIONAL MATCH (p)-[:PUBLISHED]->(i)
    RETURN min(p.id) AS publisherId
  }
  WITH i, publisherId ORDER BY i.id
  RETURN collect({n: i, publisherId: publisherId, claimed: coalesce(i.claimed, 0),
                  remaining: coalesce(i.quantity, 0) - coalesce(i.claimed, 0)}) AS aging
}
CALL (units) {
  UNWIND units AS u
  WITH u
  WHERE EXISTS { (u)-[:PARTY_TO]->(:Agreement) }
    AND NOT EXISTS { (u)-[:PUBLISHED]->(:ListItem) }
    AND NOT EXISTS { (u)-[c:CLAIMED]->(:ListItem) WHERE c.status = 'ACTIVE' }
  RETURN collect(u) AS idle
}
RETURN unpaired, aging, idle
