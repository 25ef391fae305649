// After clear: the region entries (schema/013_region_entries.cypher), which name nodes no longer there;
// in batches, as a province holds millions of them.
MATCH (e:RegionEntry)
CALL (e) { DELETE e } IN TRANSACTIONS OF 10000 ROWS
