-- New bucket rows go to a small table first and are merged into
-- copy_buckets in key order once it holds enough: 64 rows per article at
-- random keys rewrote most of copy_buckets' pages in every batch (the
-- bulk of an import's writes); the small table takes them in a few pages.
-- Lookups read both.
CREATE TABLE copy_buckets_recent (
    bucket     INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (bucket, article_id)
) WITHOUT ROWID;
