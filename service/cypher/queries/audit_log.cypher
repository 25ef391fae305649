// auditLog / `alliance audit`: the records the filters select (each null: any), newest first, ties on
// id, keyset-paginated after ($afterKey, $afterId) as fragments/keyset.cypher; `at` is never null.
CALL () {
  MATCH (n:AuditRecord)
  WHERE ($since IS NULL OR n.at >= $since) AND ($until IS NULL OR n.at <= $until)
    AND ($keyId IS NULL OR n.keyId = $keyId) AND ($operation IS NULL OR n.operation = $operation)
    AND ($entityId IS NULL OR $entityId IN n.ids)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:AuditRecord)
  WHERE ($since IS NULL OR n.at >= $since) AND ($until IS NULL OR n.at <= $until)
    AND ($keyId IS NULL OR n.keyId = $keyId) AND ($operation IS NULL OR n.operation = $operation)
    AND ($entityId IS NULL OR $entityId IN n.ids)
    AND ($afterId IS NULL OR n.at < $afterKey OR (n.at = $afterKey AND n.id < $afterId))
  WITH n ORDER BY n.at DESC, n.id DESC LIMIT $limit
  RETURN collect(n) AS found
}
UNWIND CASE WHEN size(found) = 0 THEN [null] ELSE found END AS n
RETURN total, n, n.at AS key
