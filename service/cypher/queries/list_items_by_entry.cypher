// list_items_in_region.cypher by id, for a caller with no filter but the region (and withdrawn left out or
// not): the page is the region's entries (schema/013_region_entries.cypher) in the order of their index,
// read until $limit items pass, and the total is the region's tallies of list items (every item of the
// subtree, queries/region_stats.cypher) less its withdrawn ones (fragments/item_withdrawn.cypher: a seek on the
// few withdrawn items, each looked up among the region's entries). The district's walk read its every unit
// and item.
MATCH (root:Region {id: $regionId})
CALL (root) {
  MATCH (t:RegionTally {region: root.id})
  WHERE t.label = 'ListItem'
  RETURN coalesce(sum(t.count), 0) AS tallied
}
CALL (root) {
  MATCH (i:ListItem)
  WHERE __LESS__ AND EXISTS { MATCH (e:RegionEntry {region: root.id, label: 'ListItem', id: i.id}) }
  RETURN count(i) AS less
}
OPTIONAL CALL (root) {
  MATCH (e:RegionEntry)
  USING INDEX e:RegionEntry(region, label, id)
  WHERE e.region = root.id AND e.label = 'ListItem' AND e.id IS NOT NULL __AFTER__
  WITH e
  ORDER BY e.region __DIR__, e.label __DIR__, e.id __DIR__
  MATCH (i:ListItem {id: e.id})
  WHERE __FILTERS__
  WITH i
  LIMIT $limit
  CALL (i) {
    OPTIONAL MATCH (p)-[:PUBLISHED]->(i)
    RETURN p AS publisher ORDER BY p.id LIMIT 1
  }
  RETURN i, publisher
}
RETURN tallied - less AS total, collect(CASE WHEN i IS NOT NULL THEN
         [labels(i), properties(i), i.id, publisher.id, __PUBLISHER__,
          coalesce(i.claimed, 0), coalesce(i.quantity, 0) - coalesce(i.claimed, 0)] END) AS rows
