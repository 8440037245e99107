-- Runs once, when the Postgres data directory is first created
-- (docker-entrypoint-initdb.d in the pgvector/pgvector image; run it by hand on
-- a managed Postgres as a role allowed to create extensions).
--
-- pgvector stores the search subgraph's embeddings (search.documents.embedding)
-- when the vector store is pgvector (the default). The migrations assume the
-- extension can be used; creating it needs more rights than the application
-- role usually has, so it is done here, ahead of `migrate`.
CREATE EXTENSION IF NOT EXISTS vector;

-- Full-text search helpers used by lexical search are built in (tsvector); no
-- other extension is required.
