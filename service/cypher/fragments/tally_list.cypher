// A list item tally (tally.cypher) of the items on $list: the tally form of item_list.
t.list = $list
