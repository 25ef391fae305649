// list_nodes.cypher for a sort key the registry declares sortable, named in the text (`__KEY__`) so
// the planner can walk its index in order and stop after the page: the keyed nodes first, in
// order, and only when they do not fill the page the nodes without the key, by id (nulls sort last,
// ties break on id, as fragments/keyset.cypher). The count reads the count store when there is
// no filter and no region.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
CALL (root) {  // the total: the count without `withdrawn IS NULL` (the count store when nothing else filters)
  MATCH (n:__LABEL__)
  WHERE __COUNTED__ AND __SCOPE__
  RETURN count(n) AS counted
}
CALL (root) {  // less the withdrawn ones, sought by <label>_withdrawn (none when they are listed too)
  MATCH (n:__LABEL__)
  WHERE __LESS__ AND __SCOPE__
  RETURN count(n) AS less
}
WITH root, counted - less AS total
CALL (root) {
  MATCH (n:__LABEL__)
  WHERE n.__KEY__ IS NOT NULL AND $afterNulls = 0 AND __FILTERS__ AND __SCOPE__
    AND ($afterId IS NULL OR n.__KEY__ __CMP__ $afterKey OR (n.__KEY__ = $afterKey AND n.id __CMP__ $afterId))
  WITH n ORDER BY n.__KEY__ __DIR__, n.id __DIR__ LIMIT $limit
  RETURN collect(n) AS keyed
}
CALL (root, keyed) {
  UNWIND CASE WHEN size(keyed) < $limit THEN [root] ELSE [] END AS short  // no scan for a full page
  MATCH (n:__LABEL__)
  WHERE n.__KEY__ IS NULL AND __FILTERS__ AND __SCOPE__ AND ($afterNulls = 0 OR n.id __CMP__ $afterId)
  WITH n ORDER BY n.id __DIR__ LIMIT $limit
  RETURN collect(n) AS unkeyed
}
WITH total, (keyed + unkeyed)[..$limit] AS found
UNWIND CASE WHEN size(found) = 0 THEN [null] ELSE found END AS n
// one record for the page (a record per node cost the driver a Bolt message, a socket read and a Node
// object each); an empty page still answers `total`
RETURN total, collect(CASE WHEN n IS NOT NULL THEN [labels(n), properties(n), n.__KEY__] END) AS rows
