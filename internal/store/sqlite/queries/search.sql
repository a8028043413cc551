-- Search reads article_keys per match and articles only for the page.

-- name: SearchRanked
-- Title matches weigh 3× body matches; bm25() is lower-is-better, so negate.
-- Ties break on the URL key, which both stores share (IDs may differ).
SELECT k.id, k.grp, -bm25(articles_fts, 3.0, 1.0) AS score
FROM articles_fts JOIN article_keys k ON k.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}}
ORDER BY {{order}}
LIMIT ? OFFSET ?;

-- name: SearchGroupMatches
-- The matching members of some copy groups (?1 a JSON array of groups,
-- ?2 the match expression, filters after). The members' rowids go to the
-- index as a constraint, so it seeks them rather than every match.
SELECT k.grp, count(*), max(k.id = k.grp)
FROM articles_fts JOIN article_keys k ON k.id = articles_fts.rowid
WHERE articles_fts MATCH ?2
  AND articles_fts.rowid IN (SELECT id FROM article_keys WHERE grp IN (SELECT value FROM json_each(?1))) {{filters}}
GROUP BY k.grp;

-- name: SearchArticles
-- The page's articles, without their HTML; ?1 is a JSON array of IDs.
SELECT {{bodycols}} FROM articles WHERE id IN (SELECT value FROM json_each(?));

-- name: SearchCount
SELECT count(*) FROM articles_fts JOIN article_keys k ON k.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}};

-- name: SearchCountAll
-- Without filters the index alone counts.
SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?;

-- name: SearchFacets
-- Matches per source and day (the first ? is the zone's offset in seconds):
-- the total and both facets in one pass.
SELECT k.source_id, date(k.sort_time + ?, 'unixepoch') AS day, count(*)
FROM articles_fts JOIN article_keys k ON k.id = articles_fts.rowid
WHERE articles_fts MATCH ? {{filters}}
GROUP BY k.source_id, day;

-- name: ArticleChanges
SELECT id, seq FROM article_keys WHERE seq > ? ORDER BY seq LIMIT ?;
