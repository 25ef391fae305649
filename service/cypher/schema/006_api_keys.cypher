// Stored API keys (service/keys.py): one ApiKey node per key, found by its id, listed by creation.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE;
CREATE INDEX api_key_created IF NOT EXISTS FOR (n:ApiKey) ON (n.created);
