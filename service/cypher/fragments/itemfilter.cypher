// List item `i` meets the ItemQuery filters; `root` is the region (or null).
($list IS NULL OR i.list = $list)
AND ($category IS NULL OR i.category = $category)
AND ($status IS NULL OR i.status = $status)
AND ($unclaimed IS NULL OR (coalesce(i.claimed, 0) < coalesce(i.quantity, 0)) = $unclaimed)
AND ($publisherId IS NULL OR EXISTS { (:Entity {id: $publisherId})-[:PUBLISHED]->(i) })
AND (root IS NULL OR EXISTS { (i)<-[:PUBLISHED]-()-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root) })
