// list_nodes_in_region.cypher by id, for a caller with no filter but the region (and withdrawn left out or
// not), of a label with region entries (registry REGION_ENTRIES): the page is the region's entries
// (schema/013_region_entries.cypher) in the order of their index, read until $limit nodes pass, and the
// total is the region's tallies of the label (queries/region_stats.cypher) less its withdrawn nodes
// (fragments/node_withdrawn.cypher: a seek on the label's few withdrawn nodes, each looked up among the
// region's entries).
MATCH (root:Region {id: $regionId})
CALL (root) {
  MATCH (t:RegionTally {region: root.id})
  WHERE t.label = '__LABEL__'
  RETURN coalesce(sum(t.count), 0) AS tallied
}
CALL (root) {
  MATCH (n:__LABEL__)
  WHERE __LESS__ AND EXISTS { MATCH (e:RegionEntry {region: root.id, label: '__LABEL__', id: n.id}) }
  RETURN count(n) AS less
}
OPTIONAL CALL (root) {
  MATCH (e:RegionEntry)
  USING INDEX e:RegionEntry(region, label, id)
  WHERE e.region = root.id AND e.label = '__LABEL__' AND e.id IS NOT NULL __AFTER__
  WITH e
  ORDER BY e.region __DIR__, e.label __DIR__, e.id __DIR__
  MATCH (n:__LABEL__ {id: e.id})
  WHERE __FILTERS__
  RETURN n
  LIMIT $limit
}
RETURN tallied - less AS total, collect(CASE WHEN n IS NOT NULL THEN [labels(n), properties(n), n.id] END) AS rows
