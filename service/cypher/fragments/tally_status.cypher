// A list item tally of the items with $status: the tally form of item_status.
t.status = $status
