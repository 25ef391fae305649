// A page of items by id walks the id index in order and stops after the page (the planner would
// rather read every item a filter such as remaining selects, then sort them).
USING INDEX i:ListItem(id)
