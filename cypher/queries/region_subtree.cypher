MATCH (root:Region {id: $regionId})
MATCH (r:Region)-[:PART_OF*0..]->(root)
RETURN r AS n
ORDER BY n.id
