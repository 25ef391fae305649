// Counts by label, kind and status within a region subtree (the dashboard KPIs).
__SUBTREE__
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label,
       coalesce(n.kind, n.level, n.list, n.mode, n.ownership) AS kind,
       n.status AS status, count(*) AS count
ORDER BY label, kind, status
