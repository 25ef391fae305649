// The census of a region subtree walked from the regions down (fragments/census.cypher): what the region
// tallies must always equal (tests/contract/test_region_tallies.py checks it after every kind of write).
__CENSUS__
WITH label, kind, status, count
ORDER BY label, kind, status
RETURN collect([label, kind, status, count]) AS counts
