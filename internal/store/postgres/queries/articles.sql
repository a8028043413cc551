-- name: ArticleColumns
-- Every article read selects these, in scanArticle's order.
id, url, source_id, title, author, published, modified, body, html, lang, site_name, image,
attribution, fetched_at, updated_at, story_id, original_id

-- name: ArticleForUpsert
SELECT id, source_id, title, author, published, modified, body, html, lang, site_name, image,
       attribution, doc_len
FROM articles WHERE url_key = $1 FOR UPDATE;

-- name: InsertArticle
INSERT INTO articles (url, url_key, source_id, title, author, published, modified, body, html, lang,
                      site_name, image, attribution, fetched_at, updated_at, sort_time, fts, doc_len)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::tsvector, $18)
ON CONFLICT (url_key) DO NOTHING
RETURNING id;

-- name: UpdateArticle
UPDATE articles SET source_id = $1, title = $2, author = $3, published = $4, modified = $5, body = $6,
    html = $7, lang = $8, site_name = $9, image = $10, attribution = $11, updated_at = $12,
    sort_time = coalesce($4, fetched_at), fts = $13::tsvector, doc_len = $14
WHERE id = $15;

-- name: UpdateStats
UPDATE search_stats SET docs = docs + $1, total_len = total_len + $2 WHERE id = 1;

-- name: ArticleByID
SELECT {{cols}} FROM articles WHERE id = $1;

-- name: ArticleByURL
SELECT {{cols}} FROM articles WHERE url_key = $1;

-- name: ScanArticles
SELECT {{cols}} FROM articles WHERE id > $1 ORDER BY id LIMIT $2;

-- name: ListArticles
-- {{filters}} expands to "AND …" conditions over alias a; {{n}} to the next placeholder number.
SELECT {{acols}} FROM articles a WHERE true {{filters}}
ORDER BY a.sort_time DESC, a.id DESC LIMIT {{limit}} OFFSET {{offset}};

-- name: CountArticles
SELECT count(*) FROM articles a WHERE true {{filters}};
