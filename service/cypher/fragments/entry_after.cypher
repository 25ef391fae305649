// A region entry `e` comes after the cursor of a page by id ($afterId): a range on the entries' index.
AND e.id __CMP__ $afterId
