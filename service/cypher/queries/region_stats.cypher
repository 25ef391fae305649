// Counts by label, kind and status within a region subtree (the dashboard KPIs): the region's tallies
// (schema/012_region_tallies.cypher), which every writer keeps, summed over their shards. A node's kind is
// the first of its label's stats keys it has (registry.kind_of). One record for all the counts, in order;
// an empty list for an unknown region (a region counts itself, so a known one has a tally).
MATCH (t:RegionTally {region: $regionId})
WITH t.label AS label, t.kind AS kind, t.status AS status, sum(t.count) AS count
WHERE count <> 0
ORDER BY label, kind, status
RETURN collect([label, kind, status, count]) AS counts
