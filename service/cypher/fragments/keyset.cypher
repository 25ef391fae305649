// `n` with its sort `key` and `nulls` (1 when the key is null) comes after the cursor
// ($afterKey, $afterId, $afterNulls); nulls sort last in both directions, ties break on id.
($afterId IS NULL
 OR nulls > $afterNulls
 OR (nulls = $afterNulls AND nulls = 1 AND n.id __CMP__ $afterId)
 OR (nulls = $afterNulls AND nulls = 0 AND (key __CMP__ $afterKey OR (key = $afterKey AND n.id __CMP__ $afterId))))
