// search.cypher for a caller without a region: Lucene scores only the best $bound hits instead of
// every match (which grows with the province). It answers how many it scored,
// then the hits the filters keep, best first; the code (service/graph/neo4j/search.py) accepts them
// when they fill the page or every match was scored (fewer than $bound); otherwise (the filters
// dropped too many) it asks search.cypher.
CALL db.index.fulltext.queryNodes('names', $text, {limit: $bound}) YIELD node, score
WITH node AS n, score
WITH count(*) AS scored,
     collect(CASE WHEN __FILTERS__ THEN {n: n, score: score} END) AS kept
UNWIND CASE WHEN size(kept) = 0 THEN [null] ELSE kept END AS hit
WITH scored, hit.n AS n, hit.score AS score
RETURN scored, n, score
ORDER BY score DESC, n.id
