// The import history (loaders/history.py): one Import node per file loaded, listed newest first.
CREATE CONSTRAINT import_id IF NOT EXISTS FOR (n:Import) REQUIRE n.id IS UNIQUE;
CREATE INDEX import_at IF NOT EXISTS FOR (n:Import) ON (n.at);
