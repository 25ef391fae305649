// List item `i` has $status: an index seek (list_item_status).
i.status = $status
