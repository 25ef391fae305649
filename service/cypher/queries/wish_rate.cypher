// 评单: the resident rates a fulfilled wish 1–5 (checked by the caller) with a comment.
OPTIONAL MATCH (w:Wish {id: $wishId})
CALL (w) {
  WITH w WHERE w IS NOT NULL
  SET w.`_lock` = true
  REMOVE w.`_lock`
}
// properties(): a plain property read may be planned at the seek, before the lock (CacheProperties)
WITH w, properties(w).status AS before
WITH w, before,
     CASE
       WHEN w IS NULL THEN 'NO_WISH'
       WHEN NOT coalesce(before, '') IN $allowed THEN 'ILLEGAL'
       ELSE 'OK'
     END AS outcome
CALL (w, outcome) {
  WITH w, outcome WHERE outcome = 'OK'
  SET w.status = $to, w.rating = $rating, w.ratingComment = $comment, w.ratedOn = $on
}
RETURN outcome, before, w
