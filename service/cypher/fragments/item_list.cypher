// List item `i` is on $list (NEED / RESOURCE / PROJECT): an index seek (list_item_list).
i.list = $list
