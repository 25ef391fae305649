// A keyset page of one label: nulls sort last, ties break on id. $conds is a list of
// {prop, op, value}; the count is a separate pass so no page is materialised to count.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
CALL (root) {
  MATCH (n:__LABEL__)
  WHERE all(c IN $conds WHERE
          CASE c.op
            WHEN 'eq' THEN n[c.prop] = c.value
            WHEN 'in' THEN n[c.prop] IN c.value
            WHEN 'contains' THEN n[c.prop] CONTAINS c.value
            WHEN 'startsWith' THEN n[c.prop] STARTS WITH c.value
            WHEN 'gte' THEN n[c.prop] >= c.value
            WHEN 'lte' THEN n[c.prop] <= c.value
          END)
    AND (root IS NULL OR
         (n:Region AND EXISTS { (n)-[:PART_OF*0..]->(root) }) OR
         ((n:Organisation OR n:Enterprise) AND EXISTS { (n)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
         (n:ListItem AND EXISTS { (n)<-[:PUBLISHED]-()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
         (n:Agreement AND EXISTS { (n)<-[:PARTY_TO]-()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
         (n:Member AND EXISTS { (n)-[:BELONGS_TO]->()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
         (n:Team AND EXISTS { (n)-[:ORGANISED_BY]->()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
         (n:Alliance AND EXISTS { (n)-[:COVERS]->(:Region)-[:PART_OF*0..]->(root) }) OR
         ((n:Wish OR n:ServiceCentre) AND EXISTS { (n)-[:IN]->(:Region)-[:PART_OF*0..]->(root) }) OR
         (n:Meeting AND EXISTS { (n)-[:OF]->()-[:COVERS]->(:Region)-[:PART_OF*0..]->(root) }) OR
         (n:Matter AND EXISTS { (n)-[:DECIDED_AT]->()-[:OF]->()-[:COVERS]->(:Region)-[:PART_OF*0..]->(root) }))
  RETURN n
}
WITH n, n[$orderBy] AS key
WITH n, key, CASE WHEN key IS NULL THEN 1 ELSE 0 END AS nulls
WITH collect({n: n, key: key, nulls: nulls}) AS rows
WITH rows, size(rows) AS total
WITH total, [r IN rows WHERE $afterId IS NULL
   OR r.nulls > $afterNulls
   OR (r.nulls = $afterNulls AND r.nulls = 1 AND r.n.id __CMP__ $afterId)
   OR (r.nulls = $afterNulls AND r.nulls = 0 AND
       (r.key __CMP__ $afterKey OR (r.key = $afterKey AND r.n.id __CMP__ $afterId)))] AS rest
// one null row past the end keeps `total` in the answer
UNWIND CASE WHEN size(rest) = 0 THEN [null] ELSE rest END AS r
RETURN total, r.n AS n, r.key AS key
ORDER BY r.nulls, r.key __DIR__, r.n.id __DIR__
LIMIT $limit
