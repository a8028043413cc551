-- Crawl state: sources, per-URL validators for conditional GETs (and stored
-- robots.txt bodies), and job-runner liveness.
CREATE TABLE sources (
    id             TEXT        PRIMARY KEY,
    name           TEXT        NOT NULL DEFAULT '',
    home_url       TEXT        NOT NULL DEFAULT '',
    -- feed_urls: one URL per line, in order.
    feed_urls      TEXT        NOT NULL DEFAULT '',
    host           TEXT        NOT NULL DEFAULT '',
    lang           TEXT        NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    last_fetch     TIMESTAMPTZ,
    last_success   TIMESTAMPTZ,
    last_error     TEXT        NOT NULL DEFAULT '',
    failures       INTEGER     NOT NULL DEFAULT 0,
    next_due       TIMESTAMPTZ,
    articles_found INTEGER     NOT NULL DEFAULT 0,
    latency_ms     BIGINT      NOT NULL DEFAULT 0,
    interval_s     BIGINT      NOT NULL DEFAULT 0,
    last_new       TIMESTAMPTZ
);
CREATE INDEX sources_next_due ON sources (next_due);

CREATE TABLE fetch_state (
    url           TEXT        PRIMARY KEY,
    etag          TEXT        NOT NULL DEFAULT '',
    last_modified TEXT        NOT NULL DEFAULT '',
    status        INTEGER     NOT NULL DEFAULT 0,
    body          BYTEA,
    fetched_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE job_runners (
    id      TEXT        PRIMARY KEY,
    seen_at TIMESTAMPTZ NOT NULL
);
