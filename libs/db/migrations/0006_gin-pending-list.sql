-- Full-text search reads the GIN index's pending list sequentially on every
-- query, and the planner abandons the index for a sequential scan when that
-- list is long. Keep it short (256 kB instead of 4 MB): inserts then merge
-- their entries into the tree in small batches. The search indexer also
-- cleans it after writing (gin_clean_pending_list), as autovacuum would.
ALTER INDEX "search"."documents_tsv" SET (gin_pending_list_limit = 256);
