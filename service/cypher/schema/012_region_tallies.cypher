// Region tallies (service/graph/neo4j/census.py): how many nodes of each label, kind and status each region's
// subtree holds, the census of regionStats, kept by every writer in its own transaction
// (queries/census_before.cypher, census_settle.cypher), so a region's counts are a few index entries however
// large its subtree (the walk of fragments/census.cypher cost a district 16-24 ms of Neo4j's CPU at province
// scale, bench/RESULTS.md session 10). A shard's tallies (key ending #<n>) are counted with the rest.
CREATE CONSTRAINT region_tally_key IF NOT EXISTS FOR (t:RegionTally) REQUIRE t.key IS UNIQUE;
CREATE INDEX region_tally_region IF NOT EXISTS FOR (t:RegionTally) ON (t.region);
// The nodes written before (or by the offline importer: migrate_imported runs this too): counted afresh
// from each node up (fragments/homes.cypher), the tallies written in batches.
MATCH (t:RegionTally)
CALL (t) { DELETE t } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Entity)
__HOMES__
UNWIND regions AS region
WITH region, label, kind, status, count(*) AS count
CALL (region, label, kind, status, count) {
  CREATE (:RegionTally {key: __REGIONKEY__, region: region, label: label, kind: kind, status: status, count: count})
} IN TRANSACTIONS OF 10000 ROWS
