// A page of items on one list ($list given) ordered within the list first: the same order (the list
// is one value), but it lets Neo4j walk a (list, key, id) index in order and stop after the page.
i.list __DIR__,
