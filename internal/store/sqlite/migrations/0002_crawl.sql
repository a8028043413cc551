-- Crawl state: the sources marsad follows, per-URL validators for
-- conditional GETs (and stored robots.txt bodies), and job-runner liveness.
-- Times are Unix seconds (UTC); NULL when unknown.
CREATE TABLE sources (
    id             TEXT    PRIMARY KEY,
    name           TEXT    NOT NULL DEFAULT '',
    home_url       TEXT    NOT NULL DEFAULT '',
    -- feed_urls: one URL per line, in order.
    feed_urls      TEXT    NOT NULL DEFAULT '',
    host           TEXT    NOT NULL DEFAULT '',
    lang           TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    last_fetch     INTEGER,
    last_success   INTEGER,
    last_error     TEXT    NOT NULL DEFAULT '',
    failures       INTEGER NOT NULL DEFAULT 0,
    next_due       INTEGER,
    articles_found INTEGER NOT NULL DEFAULT 0,
    latency_ms     INTEGER NOT NULL DEFAULT 0,
    interval_s     INTEGER NOT NULL DEFAULT 0,
    last_new       INTEGER
);
CREATE INDEX sources_next_due ON sources (next_due);

CREATE TABLE fetch_state (
    url           TEXT    PRIMARY KEY,
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    status        INTEGER NOT NULL DEFAULT 0,
    -- body is kept only for small documents the crawler re-reads (robots.txt).
    body          BLOB,
    fetched_at    INTEGER NOT NULL
);

-- Job runners (one per process) note they are alive here, so a restarted
-- process can tell a dead runner's jobs from a live one's.
CREATE TABLE job_runners (
    id      TEXT    PRIMARY KEY,
    seen_at INTEGER NOT NULL
);
