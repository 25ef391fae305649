// Listings hold only the filters they are given (fragments/item_*.cypher), so each filter can
// seek its own index: a list item's list (alone for the count; with its id for the page, so the
// seek returns ids without reading the items), its category alone, and the publication date a page may be ordered by.
CREATE INDEX list_item_list IF NOT EXISTS FOR (n:ListItem) ON (n.list);
CREATE INDEX list_item_list_id IF NOT EXISTS FOR (n:ListItem) ON (n.list, n.id);
CREATE INDEX list_item_category IF NOT EXISTS FOR (n:ListItem) ON (n.category);
CREATE INDEX list_item_published_on IF NOT EXISTS FOR (n:ListItem) ON (n.publishedOn);
