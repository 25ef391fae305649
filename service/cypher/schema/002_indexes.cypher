// Lookups the queries filter on: levels and kinds for stats, list / status for the lists,
// claim ids for idempotent claims and releases.
CREATE INDEX region_level IF NOT EXISTS FOR (n:Region) ON (n.level);
CREATE INDEX organisation_kind IF NOT EXISTS FOR (n:Organisation) ON (n.kind);
CREATE INDEX organisation_name IF NOT EXISTS FOR (n:Organisation) ON (n.name);
CREATE INDEX enterprise_name IF NOT EXISTS FOR (n:Enterprise) ON (n.name);
CREATE INDEX agreement_status IF NOT EXISTS FOR (n:Agreement) ON (n.status);
CREATE INDEX agreement_signed_on IF NOT EXISTS FOR (n:Agreement) ON (n.signedOn);
CREATE INDEX list_item_list_category IF NOT EXISTS FOR (n:ListItem) ON (n.list, n.category);
CREATE INDEX list_item_status IF NOT EXISTS FOR (n:ListItem) ON (n.status);
CREATE INDEX wish_status IF NOT EXISTS FOR (n:Wish) ON (n.status);
CREATE INDEX matter_status IF NOT EXISTS FOR (n:Matter) ON (n.status);
CREATE INDEX meeting_held_on IF NOT EXISTS FOR (n:Meeting) ON (n.heldOn);
CREATE INDEX claim_id IF NOT EXISTS FOR ()-[r:CLAIMED]-() ON (r.id);
