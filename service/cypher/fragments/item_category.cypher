// List item `i` has $category: an index seek (list_item_category, or list_item_list_category with item_list).
i.category = $category
