-- name: ArticleColumns
-- Every article read selects these, in scanArticle's order.
id, url, source_id, title, author, published, modified, body, html, lang, site_name, image,
attribution, fetched_at, updated_at, story_id, original_id

-- name: ArticleForUpsert
SELECT id, source_id, title, author, published, modified, body, html, lang, site_name, image,
       attribution, doc_len
FROM articles WHERE url_key = $1 FOR UPDATE;

-- name: LockArticleKeys
-- Transaction-scoped advisory locks on a batch's URL keys ($1), taken in one
-- global order (the locks' numbers) so that batches sharing keys queue
-- instead of deadlocking: the multi-row INSERT of new keys takes their
-- unique-index entries in the batch's own order. 1296 is the lock class of
-- article keys (the two-int4 form never conflicts with the bigint locks).
SELECT count(pg_advisory_xact_lock(1296, h))
FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS s;

-- name: ArticlesForUpsert
-- Locks a batch's stored rows in key order ($1 is sorted).
SELECT url_key, id, source_id, title, author, published, modified, body, html, lang, site_name, image,
       attribution, doc_len
FROM articles WHERE url_key = ANY($1::text[]) ORDER BY url_key FOR UPDATE;

-- name: BulkPendingList
-- For this transaction only: let the GIN index's pending list grow to 64 MB.
SET LOCAL gin_pending_list_limit = 65536;

-- name: InsertArticles
-- A batch of new articles, column arrays unnested; keys inserted meanwhile
-- by another transaction are skipped (and not returned).
INSERT INTO articles (url, url_key, source_id, title, author, published, modified, body, html, lang,
                      site_name, image, attribution, fetched_at, updated_at, sort_time, fts, doc_len)
SELECT u.url, u.url_key, u.source_id, u.title, u.author, u.published, u.modified, u.body, u.html, u.lang,
       u.site_name, u.image, u.attribution, u.fetched_at, $15, u.sort_time, u.fts::tsvector, u.doc_len
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[],
            $16::timestamptz[], $17::text[], $18::int[])
     AS u(url, url_key, source_id, title, author, published, modified, body, html, lang, site_name, image,
          attribution, fetched_at, sort_time, fts, doc_len)
ORDER BY u.url_key
ON CONFLICT (url_key) DO NOTHING
RETURNING url_key, id;

-- name: UpdateArticles
UPDATE articles a SET source_id = u.source_id, title = u.title, author = u.author, published = u.published,
    modified = u.modified, body = u.body, html = u.html, lang = u.lang, site_name = u.site_name, image = u.image,
    attribution = u.attribution, updated_at = $13, sort_time = coalesce(u.published, a.fetched_at),
    fts = u.fts::tsvector, doc_len = u.doc_len
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[],
            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $14::text[], $15::int[])
     AS u(id, source_id, title, author, published, modified, body, html, lang, site_name, image, attribution,
          fts, doc_len)
WHERE a.id = u.id;

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

-- name: ArticleDays
-- $1 is the zone's offset from UTC in seconds.
SELECT to_char((a.sort_time AT TIME ZONE 'UTC') + make_interval(secs => $1), 'YYYY-MM-DD') AS day, count(*)
FROM articles a WHERE true {{filters}}
GROUP BY day ORDER BY day;

-- name: CountArticles
SELECT count(*) FROM articles a WHERE true {{filters}};

-- name: CleanPendingList
SELECT gin_clean_pending_list('articles_fts'::regclass);

-- name: AnalyzeArticles
ANALYZE articles;
