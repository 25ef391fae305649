// Withdrawn nodes (withdraw(id:, reason:) sets `withdrawn`, the time, always with the reason and the
// key): a listing's total is the label's count (the count store when nothing else filters it) minus
// its withdrawn nodes, found through these indexes instead of reading every node of the label.
CREATE INDEX organisation_withdrawn IF NOT EXISTS FOR (n:Organisation) ON (n.withdrawn);
CREATE INDEX enterprise_withdrawn IF NOT EXISTS FOR (n:Enterprise) ON (n.withdrawn);
CREATE INDEX agreement_withdrawn IF NOT EXISTS FOR (n:Agreement) ON (n.withdrawn);
CREATE INDEX list_item_withdrawn IF NOT EXISTS FOR (n:ListItem) ON (n.withdrawn);
