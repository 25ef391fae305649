// List item `i` has some quantity left (unclaimed: true): a range seek on the kept `remaining`
// (list_item_list_remaining with item_list, list_item_remaining alone; a composite index answers
// only when each of its properties has a predicate, hence the id's).
i.remaining > 0 AND i.id IS NOT NULL
