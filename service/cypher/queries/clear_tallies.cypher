// After clear: the item tallies (fragments/tally.cypher), which count nodes no longer there.
MATCH (t:ItemTally)
DELETE t
