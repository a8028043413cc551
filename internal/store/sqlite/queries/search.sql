-- Search reads article_keys per match and articles only for the page.

-- name: SearchHits
-- Title matches weigh 3× body matches; bm25() is lower-is-better, so negate.
-- Ties break on the URL key, which both stores share (IDs may differ).
SELECT k.id, -bm25(articles_fts, 3.0, 1.0) AS score, 0
FROM articles_fts JOIN article_keys k ON k.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}}
ORDER BY {{order}}
LIMIT ? OFFSET ?;

-- name: SearchHitsCollapsed
-- One row per copy group: the original when it matches, else the
-- best-scored member; groups rank by their best score (or newest member).
WITH m AS (
    SELECT k.id, k.grp AS g, -bm25(articles_fts, 3.0, 1.0) AS score, k.sort_time, k.url_key
    FROM articles_fts JOIN article_keys k ON k.id = articles_fts.rowid
    WHERE articles_fts MATCH ? {{filters}}
), r AS (
    SELECT id, g, url_key,
           row_number() OVER (PARTITION BY g ORDER BY id = g DESC, score DESC, sort_time DESC, url_key) AS rn,
           count(*) OVER (PARTITION BY g) AS n,
           max(score) OVER (PARTITION BY g) AS gscore,
           max(sort_time) OVER (PARTITION BY g) AS gtime
    FROM m
)
SELECT r.id, r.gscore, r.n - 1
FROM r
WHERE r.rn = 1
ORDER BY {{order}}
LIMIT ? OFFSET ?;

-- name: SearchArticles
-- The page's articles; ?1 is a JSON array of IDs.
SELECT {{cols}} FROM articles WHERE id IN (SELECT value FROM json_each(?));

-- name: SearchCount
SELECT count(*) FROM articles_fts JOIN article_keys k ON k.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}};

-- name: SearchCountAll
-- Without filters the index alone counts.
SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?;

-- name: SearchCountCollapsed
SELECT count(DISTINCT k.grp)
FROM articles_fts JOIN article_keys k ON k.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}};

-- name: SearchFacets
-- Matches per source and day (the first ? is the zone's offset in seconds):
-- the total and both facets in one pass.
SELECT k.source_id, date(k.sort_time + ?, 'unixepoch') AS day, count(*)
FROM articles_fts JOIN article_keys k ON k.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}}
GROUP BY k.source_id, day;
