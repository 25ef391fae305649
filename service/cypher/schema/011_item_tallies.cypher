// Item tallies (service/registry.py ITEM_TALLY, fragments/tally.cypher): how many list items have each
// combination of list, category, status, remaining > 0 and withdrawn, kept by every writer of items in its
// own transaction, so a listing's total under those filters is a sum over a few tallies rather than one
// index entry per matching item (Neo4j keeps no count per property value). The key is the combination;
// the indexes let a filter seek its tallies.
CREATE CONSTRAINT item_tally_key IF NOT EXISTS FOR (t:ItemTally) REQUIRE t.key IS UNIQUE;
CREATE INDEX item_tally_list IF NOT EXISTS FOR (t:ItemTally) ON (t.list);
CREATE INDEX item_tally_category IF NOT EXISTS FOR (t:ItemTally) ON (t.category);
CREATE INDEX item_tally_status IF NOT EXISTS FOR (t:ItemTally) ON (t.status);
// The items written before (or by the offline importer: migrate_imported runs this too): tallied afresh
// through the writers' own fragment, the items grouped first (one map per combination, `times` items
// each), so the transaction holds a few hundred maps however many items there are. Not IN TRANSACTIONS:
// a partial tally would be wrong, and this one writes only the tallies.
MATCH (t:ItemTally)
DELETE t;
MATCH (i:ListItem)
WITH i.list AS list, i.category AS category, i.status AS status,
     CASE WHEN i.remaining > 0 THEN 1 WHEN i.remaining <= 0 THEN 0 END AS remaining,
     CASE WHEN i.withdrawn IS NOT NULL THEN true END AS withdrawn, count(*) AS times
WITH collect({now: {list: list, category: category, status: status, remaining: remaining, withdrawn: withdrawn},
              times: times}) AS touched
__TALLY__
RETURN tallied
