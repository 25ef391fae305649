// Retention (`alliance audit prune`): the audit records older than $before, the trail's only deletion.
MATCH (n:AuditRecord)
WHERE n.at < $before
DETACH DELETE n
RETURN count(*) AS deleted
