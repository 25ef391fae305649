// Backup (service/backup.py): every relationship of one type of the model with its ends' ids. Run
// once per type in the backup's single read transaction; streamed, never collected.
MATCH (a:Entity)-[r:__TYPE__]->(b:Entity)
RETURN a.id AS start, b.id AS end, properties(r) AS props
