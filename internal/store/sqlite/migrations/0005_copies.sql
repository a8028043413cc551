-- Copy detection (internal/dedup): one fingerprint per article, its LSH
-- buckets, and one link row per copy (articles.original_id mirrors it).
-- Hash sets are little-endian uint32 arrays.
CREATE TABLE copy_prints (
    article_id INTEGER PRIMARY KEY,
    source_id  TEXT    NOT NULL,
    sort_time  INTEGER NOT NULL,
    credit     TEXT    NOT NULL DEFAULT '',
    version    INTEGER NOT NULL,
    exact      INTEGER NOT NULL,
    words      INTEGER NOT NULL,
    shingles   BLOB    NOT NULL,
    numbers    BLOB    NOT NULL,
    signature  BLOB,   -- NULL: too short for near-copy detection
    -- buckets: the LSH keys (little-endian int64s) filed in copy_buckets,
    -- kept so a re-fingerprint removes exactly those rows.
    buckets    BLOB    NOT NULL
);
CREATE INDEX copy_prints_exact ON copy_prints (exact);

-- A bucket's articles are found by prefix; rows are removed by the keys
-- kept in copy_prints.buckets, so no second index.
CREATE TABLE copy_buckets (
    bucket     INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (bucket, article_id)
) WITHOUT ROWID;

CREATE TABLE copy_links (
    article_id    INTEGER PRIMARY KEY,
    original_id   INTEGER NOT NULL,
    similarity    REAL    NOT NULL,
    contained     REAL    NOT NULL,
    exact         INTEGER NOT NULL,
    title_changed INTEGER NOT NULL,
    added         INTEGER NOT NULL,
    removed       INTEGER NOT NULL,
    rule          TEXT    NOT NULL DEFAULT '',
    detected_at   INTEGER NOT NULL
);
CREATE INDEX copy_links_original ON copy_links (original_id);
CREATE INDEX IF NOT EXISTS articles_original ON articles (original_id) WHERE original_id <> 0;
