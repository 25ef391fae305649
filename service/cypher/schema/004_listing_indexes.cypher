// Listings hold only the filters they are given (fragments/item_*.cypher), so each filter can
// seek its own index: a list item's list or category alone (the composite list_item_list_category
// serves only both together), and the sortable dates and quantities a page is ordered by.
CREATE INDEX list_item_list IF NOT EXISTS FOR (n:ListItem) ON (n.list);
CREATE INDEX list_item_category IF NOT EXISTS FOR (n:ListItem) ON (n.category);
CREATE INDEX list_item_published_on IF NOT EXISTS FOR (n:ListItem) ON (n.publishedOn);
