-- name: SourceColumns
id, name, home_url, feed_urls, host, lang, last_fetch, last_success, last_error, failures, next_due,
articles_found, latency_ms, interval_s, last_new

-- name: UpsertSource
-- Inserting or renaming a source never touches its crawl status; xmax = 0
-- tells a fresh insert from an update.
INSERT INTO sources (id, name, home_url, feed_urls, host, lang, created_at, next_due)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, home_url = excluded.home_url,
    feed_urls = excluded.feed_urls, host = excluded.host, lang = excluded.lang
RETURNING (xmax = 0);

-- name: SourceByID
SELECT {{scols}} FROM sources WHERE id = $1;

-- name: ListSources
SELECT {{scols}} FROM sources ORDER BY id;

-- name: DueSources
SELECT {{scols}} FROM sources WHERE next_due IS NULL OR next_due <= $1
ORDER BY next_due NULLS FIRST, id LIMIT $2;

-- name: DeleteSource
DELETE FROM sources WHERE id = $1;

-- name: SaveSourceStatus
UPDATE sources SET last_fetch = $1, last_success = $2, last_error = $3, failures = $4, next_due = $5,
    articles_found = $6, latency_ms = $7, interval_s = $8, last_new = $9
WHERE id = $10;

-- name: FetchState
SELECT url, etag, last_modified, status, body, fetched_at FROM fetch_state WHERE url = $1;

-- name: SaveFetchState
INSERT INTO fetch_state (url, etag, last_modified, status, body, fetched_at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
    status = excluded.status, body = excluded.body, fetched_at = excluded.fetched_at;

-- name: KnownKeys
-- Which of the url_keys in $1 are stored.
SELECT url_key FROM articles WHERE url_key = ANY($1::text[]);

-- name: TouchRunner
INSERT INTO job_runners (id, seen_at) VALUES ($1, $2)
ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at;

-- name: ListRunners
SELECT id, seen_at FROM job_runners;

-- name: DeleteRunnersBefore
DELETE FROM job_runners WHERE seen_at < $1;
