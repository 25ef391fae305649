// The three lists with claim state. `claimed` is kept on the item by claim_items / release_claim.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
MATCH (i:ListItem)
WHERE ($list IS NULL OR i.list = $list)
  AND ($category IS NULL OR i.category = $category)
  AND ($status IS NULL OR i.status = $status)
  AND ($unclaimed IS NULL OR (coalesce(i.claimed, 0) < coalesce(i.quantity, 0)) = $unclaimed)
  AND ($publisherId IS NULL OR EXISTS { (:Entity {id: $publisherId})-[:PUBLISHED]->(i) })
  AND (root IS NULL OR EXISTS { (i)<-[:PUBLISHED]-()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) })
WITH i, i[$orderBy] AS key
WITH i, key, CASE WHEN key IS NULL THEN 1 ELSE 0 END AS nulls
WITH collect({i: i, key: key, nulls: nulls}) AS rows
WITH rows, size(rows) AS total
WITH total, [r IN rows WHERE $afterId IS NULL
   OR r.nulls > $afterNulls
   OR (r.nulls = $afterNulls AND r.nulls = 1 AND r.i.id __CMP__ $afterId)
   OR (r.nulls = $afterNulls AND r.nulls = 0 AND
       (r.key __CMP__ $afterKey OR (r.key = $afterKey AND r.i.id __CMP__ $afterId)))] AS rest
// one null row past the end keeps `total` in the answer
UNWIND CASE WHEN size(rest) = 0 THEN [null] ELSE rest END AS r
WITH total, r.i AS i, r.key AS key, r.nulls AS nulls
ORDER BY nulls, key __DIR__, i.id __DIR__
LIMIT $limit
CALL (i) {
  OPTIONAL MATCH (p)-[:PUBLISHED]->(i)
  RETURN min(p.id) AS publisherId
}
RETURN total, i AS n, key, publisherId,
       coalesce(i.claimed, 0) AS claimed,
       coalesce(i.quantity, 0) - coalesce(i.claimed, 0) AS remaining
