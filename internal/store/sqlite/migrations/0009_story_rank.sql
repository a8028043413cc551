-- The home page ranks recent multi-source stories by their size and age:
-- an index that holds those columns answers it without reading the
-- records of the (mostly single-source) stories it walks past.
DROP INDEX IF EXISTS stories_last_seen;
CREATE INDEX IF NOT EXISTS stories_rank ON stories (last_seen DESC, id DESC, source_count, group_count, first_seen);
