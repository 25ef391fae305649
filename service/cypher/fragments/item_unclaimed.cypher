// List item `i` has some quantity left (unclaimed: true): a range seek on the kept `remaining`
// (list_item_list_remaining with item_list, list_item_remaining alone).
i.remaining > 0
