// The audit trail (service/audit.py): one AuditRecord node per audited operation, created once and never
// changed; listed newest first by `at`, filtered by key and operation (auditLog, `alliance audit`).
CREATE CONSTRAINT audit_record_id IF NOT EXISTS FOR (n:AuditRecord) REQUIRE n.id IS UNIQUE;
CREATE INDEX audit_record_at IF NOT EXISTS FOR (n:AuditRecord) ON (n.at);
CREATE INDEX audit_record_key IF NOT EXISTS FOR (n:AuditRecord) ON (n.keyId);
CREATE INDEX audit_record_operation IF NOT EXISTS FOR (n:AuditRecord) ON (n.operation);
