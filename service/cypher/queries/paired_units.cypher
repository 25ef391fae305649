// A region id means that region's own party organisation (a community's, a street's). For a
// region-scoped caller only partners within the region subtree are answered.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
MATCH (x:Entity {id: $id})
OPTIONAL MATCH (x:Region)<-[:LOCATED_IN]-(own:Organisation)
  WHERE own.kind = x.level
WITH root, CASE WHEN x:Organisation THEN x ELSE own END AS o
MATCH (o)-[:PARTY_TO]->(a:Agreement {status: 'ACTIVE'})<-[:PARTY_TO]-(u)
WHERE u <> o
WITH root, u AS n, a
WHERE __SCOPE__
WITH n AS u, a ORDER BY a.id
WITH u, collect(DISTINCT a) AS agreements
ORDER BY u.id
// one record for all the pairings, in order (a record per unit cost the driver a Bolt message and its
// Node objects each)
RETURN collect([labels(u), properties(u), [a IN agreements | [labels(a), properties(a)]]]) AS pairings
