// A page of one list's items by id walks list_item_list_id in order (the planner would rather read
// every item of the list when another filter, such as remaining, is given too).
USING INDEX i:ListItem(list, id)
