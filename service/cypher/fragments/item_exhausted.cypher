// List item `i` has no quantity left (unclaimed: false): a range seek on the kept `remaining`
// (as item_unclaimed.cypher).
i.remaining <= 0 AND i.id IS NOT NULL
