-- name: SourceColumns
id, name, home_url, feed_urls, host, lang, last_fetch, last_success, last_error, failures, next_due,
articles_found, latency_ms, interval_s, last_new

-- name: UpsertSource
-- Inserting or renaming a source never touches its crawl status.
INSERT INTO sources (id, name, home_url, feed_urls, host, lang, created_at, next_due)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, home_url = excluded.home_url,
    feed_urls = excluded.feed_urls, host = excluded.host, lang = excluded.lang;

-- name: SourceExists
SELECT count(*) FROM sources WHERE id = ?;

-- name: SourceByID
SELECT {{scols}} FROM sources WHERE id = ?;

-- name: ListSources
SELECT {{scols}} FROM sources ORDER BY id;

-- name: DueSources
SELECT {{scols}} FROM sources WHERE next_due IS NULL OR next_due <= ? ORDER BY next_due, id LIMIT ?;

-- name: DeleteSource
DELETE FROM sources WHERE id = ?;

-- name: SaveSourceStatus
UPDATE sources SET last_fetch = ?, last_success = ?, last_error = ?, failures = ?, next_due = ?,
    articles_found = ?, latency_ms = ?, interval_s = ?, last_new = ?
WHERE id = ?;

-- name: FetchState
SELECT url, etag, last_modified, status, body, fetched_at FROM fetch_state WHERE url = ?;

-- name: SaveFetchState
INSERT INTO fetch_state (url, etag, last_modified, status, body, fetched_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
    status = excluded.status, body = excluded.body, fetched_at = excluded.fetched_at;

-- name: ArticleKeyExists
SELECT count(*) FROM articles WHERE url_key = ?;

-- name: TouchRunner
INSERT INTO job_runners (id, seen_at) VALUES (?, ?)
ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at;

-- name: ListRunners
SELECT id, seen_at FROM job_runners;

-- name: DeleteRunnersBefore
DELETE FROM job_runners WHERE seen_at < ?;
