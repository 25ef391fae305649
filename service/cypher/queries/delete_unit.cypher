// mergeUnits: the duplicate goes with its relationships, after they were rewritten onto the unit kept.
MATCH (n:__LABEL__ {id: $id})
DETACH DELETE n
RETURN count(*) AS deleted
