// search.cypher for a caller without a region: Lucene scores only the best $bound hits instead of
// every match (which grows with the province). It answers how many it scored and the lowest score
// scored, then the hits the filters keep, best first; the code (service/graph/neo4j/search.py)
// accepts them when every match was scored (fewer than $bound), or when they fill the page and the
// page's last score is above the lowest scored (so every hit tied with it was scored too); a tie at
// the cut is asked once more with a larger bound, a short page then asks search.cypher.
CALL db.index.fulltext.queryNodes('names', $text, {limit: $bound}) YIELD node, score
WITH node AS n, score
WITH count(*) AS scored, min(score) AS floor,
     collect(CASE WHEN __FILTERS__ THEN {n: n, score: score} END) AS kept
UNWIND CASE WHEN size(kept) = 0 THEN [null] ELSE kept END AS hit
WITH scored, floor, hit.n AS n, hit.score AS score
// the page only: the hits beyond it would cost the driver a node each, and the code reads none of them
RETURN scored, floor, n, score
ORDER BY score DESC, n.id
LIMIT $first
