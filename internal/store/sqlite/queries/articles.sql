-- name: ArticleColumns
-- The column list every article read selects, in scanArticle's order; "{{cols}}" in
-- other statements expands to it, prefixed with "a." where the alias is used.
id, url, source_id, title, author, published, modified, body, html, lang, site_name, image,
attribution, fetched_at, updated_at, story_id, original_id

-- name: ArticleForUpsert
SELECT id, source_id, title, author, published, modified, body, html, lang, site_name, image, attribution
FROM articles WHERE url_key = ?;

-- name: InsertArticle
INSERT INTO articles (url, url_key, source_id, title, author, published, modified, body, html, lang,
                      site_name, image, attribution, fetched_at, updated_at, sort_time)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: UpdateArticle
UPDATE articles SET source_id = ?, title = ?, author = ?, published = ?, modified = ?, body = ?,
    html = ?, lang = ?, site_name = ?, image = ?, attribution = ?, updated_at = ?,
    sort_time = coalesce(?, fetched_at)
WHERE id = ?;

-- name: DeleteFTSBatch
-- ?: JSON array of article IDs.
DELETE FROM articles_fts WHERE rowid IN (SELECT value FROM json_each(?));

-- name: InsertFTSBatch
-- ?: JSON array of [id, title, body] (title and body: space-joined analysed terms).
INSERT INTO articles_fts (rowid, title, body)
SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?);

-- name: ArticleByID
SELECT {{cols}} FROM articles WHERE id = ?;

-- name: ArticleByURL
SELECT {{cols}} FROM articles WHERE url_key = ?;

-- name: ScanArticles
SELECT {{cols}} FROM articles WHERE id > ? ORDER BY id LIMIT ?;

-- name: ListArticles
-- {{filters}} expands to "AND …" conditions over alias a.
SELECT {{acols}} FROM articles a WHERE 1 = 1 {{filters}}
ORDER BY a.sort_time DESC, a.id DESC LIMIT ? OFFSET ?;

-- name: ArticleDays
-- ?1 is the zone's offset from UTC in seconds.
SELECT date(a.sort_time + ?1, 'unixepoch') AS day, count(*) FROM articles a WHERE 1 = 1 {{filters}}
GROUP BY day ORDER BY day;

-- name: CountArticles
SELECT count(*) FROM articles a WHERE 1 = 1 {{filters}};
