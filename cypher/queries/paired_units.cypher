// A region id means that region's own party organisation (a community's, a street's).
MATCH (x:Entity {id: $id})
OPTIONAL MATCH (x:Region)<-[:LOCATED_IN]-(own:Organisation)
  WHERE own.kind = x.level
WITH CASE WHEN x:Organisation THEN x ELSE own END AS o
MATCH (o)-[:PARTY_TO]->(a:Agreement {status: 'ACTIVE'})<-[:PARTY_TO]-(u)
WHERE u <> o
WITH u, a ORDER BY a.id
RETURN u, collect(DISTINCT a) AS agreements
ORDER BY u.id
