// Region entries (registry REGION_ENTRIES): one (:RegionEntry {region, label, id}) for each unit and list
// item and each region whose subtree holds it (fragments/homes.cypher, the tallies' membership), kept by
// the writers that keep the region tallies (queries/census_settle.cypher). A region's listing by id seeks
// `region_entry_page` in order and stops after its page, where the walk down a district read its every
// unit and item (bench/RESULTS.md, session 12); `region_entry_node` finds a node's entries when it moves.
CREATE INDEX region_entry_page IF NOT EXISTS FOR (e:RegionEntry) ON (e.region, e.label, e.id);
CREATE INDEX region_entry_node IF NOT EXISTS FOR (e:RegionEntry) ON (e.id);
// The nodes written before (or by the offline importer: migrate_imported runs this too), entered afresh.
MATCH (e:RegionEntry)
CALL (e) { DELETE e } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Organisation|Enterprise|ListItem)
__HOMES__
UNWIND regions AS region
CALL (n, label, region) {
  CREATE (:RegionEntry {region: region, label: label, id: n.id})
} IN TRANSACTIONS OF 10000 ROWS
