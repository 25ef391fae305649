// Counts by label, kind and status within a region subtree (the dashboard KPIs). A node's kind is
// the first of its label's stats keys it has (registry.kind_of); the generated census fragment
// counts each label from the regions down, reading only those keys and the status. One record for
// all the counts, in order (a record each cost the driver a Bolt message: bench/RESULTS.md, session 10);
// an empty list for an unknown region.
__CENSUS__
WITH label, kind, status, count
ORDER BY label, kind, status
RETURN collect([label, kind, status, count]) AS counts
