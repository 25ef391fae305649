// After clear: the region tallies (schema/012_region_tallies.cypher), which count nodes no longer there;
// in batches, as a province holds about a million of them.
MATCH (t:RegionTally)
CALL (t) { DELETE t } IN TRANSACTIONS OF 10000 ROWS
