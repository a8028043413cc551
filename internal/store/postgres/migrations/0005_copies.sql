-- Copy detection (internal/dedup): one fingerprint per article, its LSH
-- buckets, and one link row per copy (articles.original_id mirrors it).
-- Hash sets are little-endian uint32 arrays.
CREATE TABLE copy_prints (
    article_id BIGINT      PRIMARY KEY,
    source_id  TEXT        NOT NULL,
    sort_time  TIMESTAMPTZ NOT NULL,
    credit     TEXT        NOT NULL DEFAULT '',
    version    INTEGER     NOT NULL,
    exact      BIGINT      NOT NULL,
    words      INTEGER     NOT NULL,
    shingles   BYTEA       NOT NULL,
    numbers    BYTEA       NOT NULL,
    signature  BYTEA,      -- NULL: too short for near-copy detection
    -- buckets: the LSH keys (little-endian int64s) filed in copy_buckets,
    -- kept so a re-fingerprint removes exactly those rows.
    buckets    BYTEA       NOT NULL
);
CREATE INDEX copy_prints_exact ON copy_prints (exact);

CREATE TABLE copy_buckets (
    bucket     BIGINT NOT NULL,
    article_id BIGINT NOT NULL,
    PRIMARY KEY (bucket, article_id)
);

CREATE TABLE copy_links (
    article_id    BIGINT           PRIMARY KEY,
    original_id   BIGINT           NOT NULL,
    similarity    DOUBLE PRECISION NOT NULL,
    contained     DOUBLE PRECISION NOT NULL,
    exact         BOOLEAN          NOT NULL,
    title_changed BOOLEAN          NOT NULL,
    added         INTEGER          NOT NULL,
    removed       INTEGER          NOT NULL,
    rule          TEXT             NOT NULL DEFAULT '',
    detected_at   TIMESTAMPTZ      NOT NULL
);
CREATE INDEX copy_links_original ON copy_links (original_id);
CREATE INDEX IF NOT EXISTS articles_original ON articles (original_id) WHERE original_id <> 0;
