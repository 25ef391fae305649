// A list item tally of the items with remaining > 0: the tally form of item_unclaimed.
t.unclaimed = true
