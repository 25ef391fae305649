// One audit record (service/audit.py), created and never merged: an id already used fails the
// transaction (the Entity id constraint), so no statement can replace a record. Run on its own, or
// inside the write transaction it records, just before that transaction commits.
CREATE (n:AuditRecord:Entity)
SET n = $row
RETURN n.id AS id
