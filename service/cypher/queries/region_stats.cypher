// Counts by label, kind and status within a region subtree (the dashboard KPIs). A node's kind is
// the first of its label's stats keys it has ($statsKeys: label -> property names, from the registry).
__SUBTREE__
WITH n, [l IN labels(n) WHERE l <> 'Entity'][0] AS label
RETURN label, head([k IN coalesce($statsKeys[label], []) WHERE n[k] IS NOT NULL | n[k]]) AS kind,
       n.status AS status, count(*) AS count
ORDER BY label, kind, status
