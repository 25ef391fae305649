// Backup (service/backup.py): every node of one label of the model, as stored. Run once per label
// in the backup's single read transaction; streamed, never collected.
MATCH (n:__LABEL__)
RETURN properties(n) AS props
