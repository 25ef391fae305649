// A list item tally of the items not withdrawn: the tally form of item_current.
t.withdrawn = false
