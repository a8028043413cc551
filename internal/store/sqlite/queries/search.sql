-- name: SearchHits
-- Title matches weigh 3× body matches; bm25() is lower-is-better, so negate.
SELECT {{acols}}, -bm25(articles_fts, 3.0, 1.0) AS score
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}}
ORDER BY {{order}}
LIMIT ? OFFSET ?;

-- name: SearchCount
SELECT count(*) FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}};
