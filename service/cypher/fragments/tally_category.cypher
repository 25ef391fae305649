// A list item tally of the items with $category: the tally form of item_category.
t.category = $category
