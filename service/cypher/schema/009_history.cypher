// History and corrections: an agreement's versions (read newest first by agreement), the records of
// merged units (found by the id they removed).
CREATE CONSTRAINT agreement_version_id IF NOT EXISTS FOR (n:AgreementVersion) REQUIRE n.id IS UNIQUE;
CREATE INDEX agreement_version_of IF NOT EXISTS FOR (n:AgreementVersion) ON (n.agreement, n.at);
CREATE CONSTRAINT unit_merge_id IF NOT EXISTS FOR (n:UnitMerge) REQUIRE n.id IS UNIQUE;
CREATE INDEX unit_merge_removed IF NOT EXISTS FOR (n:UnitMerge) ON (n.removed);
