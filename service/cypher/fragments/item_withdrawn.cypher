// List item `i` is withdrawn: the items a listing's total takes off the count of its other filters
// (a seek on list_item_withdrawn, 010_withdrawn), rather than testing `withdrawn IS NULL` on every item.
i.withdrawn IS NOT NULL
