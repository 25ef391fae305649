CALL db.index.fulltext.queryNodes('names', $text) YIELD node, score
WHERE size($labels) = 0 OR any(l IN labels(node) WHERE l IN $labels)
RETURN node AS n, score
ORDER BY score DESC, n.id
LIMIT $first
