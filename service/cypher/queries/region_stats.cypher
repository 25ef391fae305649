// Counts by label, kind and status within a region subtree (the dashboard KPIs). A node's kind is
// the first of its label's stats keys it has (registry.kind_of); the generated census fragment
// counts each label from the regions down, reading only those keys and the status.
__CENSUS__
RETURN label, kind, status, count
ORDER BY label, kind, status
