// search.cypher for a caller without a region: Lucene scores only the best $bound hits instead of
// every match (which grows with the province). It answers how many it scored and the lowest score,
// then the hits the filters keep, best first; the code (service/graph/neo4j/search.py) accepts them
// only when they settle the page: fewer than $bound scored (every match), or $first kept hits above
// the lowest score (a hit left out scored no higher than it). Otherwise it asks search.cypher.
CALL db.index.fulltext.queryNodes('names', $text, {limit: $bound}) YIELD node, score
WITH node AS n, score
WITH count(*) AS scored, min(score) AS lowest,
     collect(CASE WHEN __FILTERS__ THEN {n: n, score: score} END) AS kept
UNWIND CASE WHEN size(kept) = 0 THEN [null] ELSE kept END AS hit
WITH scored, lowest, hit.n AS n, hit.score AS score
RETURN scored, lowest, n, score
ORDER BY score DESC, n.id
