-- name: SearchHits
-- Title matches weigh 3× body matches; bm25() is lower-is-better, so negate.
-- Ties break on the URL key, which both stores share (IDs may differ).
SELECT {{acols}}, -bm25(articles_fts, 3.0, 1.0) AS score, 0
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}}
ORDER BY {{order}}
LIMIT ? OFFSET ?;

-- name: SearchHitsCollapsed
-- One row per copy group (original_id, or the article's own id for an
-- original): the original when it matches, else the best-scored member;
-- groups rank by their best score (or newest member). Ties break on the
-- URL key, which both stores share (IDs may differ between them).
WITH m AS (
    SELECT a.id, CASE a.original_id WHEN 0 THEN a.id ELSE a.original_id END AS g,
           -bm25(articles_fts, 3.0, 1.0) AS score, a.sort_time, a.url_key
    FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
    WHERE articles_fts MATCH ? {{filters}}
), r AS (
    SELECT id, g,
           row_number() OVER (PARTITION BY g ORDER BY id = g DESC, score DESC, sort_time DESC, url_key) AS rn,
           count(*) OVER (PARTITION BY g) AS n,
           max(score) OVER (PARTITION BY g) AS gscore,
           max(sort_time) OVER (PARTITION BY g) AS gtime
    FROM m
)
SELECT {{acols}}, r.gscore, r.n - 1
FROM r JOIN articles a ON a.id = r.id
WHERE r.rn = 1
ORDER BY {{order}}
LIMIT ? OFFSET ?;

-- name: SearchCount
SELECT count(*) FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}};

-- name: SearchCountCollapsed
SELECT count(DISTINCT CASE a.original_id WHEN 0 THEN a.id ELSE a.original_id END)
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}};

-- name: SearchFacets
-- Matches per source and day (the first ? is the zone's offset in seconds):
-- the total and both facets in one pass.
SELECT a.source_id, date(a.sort_time + ?, 'unixepoch') AS day, count(*)
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}}
GROUP BY a.source_id, day;
