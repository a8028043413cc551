-- name: SearchStats
SELECT docs, total_len FROM search_stats WHERE id = 1;

-- name: TermDocs
-- Documents matching each match (BM25's n(q)); $1 is a text[] of tsquery literals.
SELECT (SELECT count(*) FROM articles WHERE fts @@ q::tsquery) FROM unnest($1::text[]) WITH ORDINALITY AS t(q, i) ORDER BY i;

-- name: SearchCount
SELECT count(*) FROM articles a WHERE a.fts @@ $1::tsquery {{filters}};

-- name: SearchFacets
-- Matches per source and day ($2 is the zone's offset in seconds): the total
-- and both facets in one pass.
SELECT a.source_id, to_char((a.sort_time AT TIME ZONE 'UTC') + make_interval(secs => $2), 'YYYY-MM-DD') AS day, count(*)
FROM articles a WHERE a.fts @@ $1::tsquery {{filters}}
GROUP BY 1, 2;

-- name: SearchScored
-- BM25 as SQLite FTS5's bm25() computes it (k1 = 1.2, b = 0.75, title hits
-- weigh 3, document length = all indexed terms), so both stores rank alike.
-- A match (a term or a phrase) is found where its terms sit at consecutive
-- positions; its instance is in the title when its first term is (weight A).
-- $2 text[] terms of all matches, $3 int[] each term's match (1-based),
-- $4 int[] its offset in the match, $5 int[] each match's length, $6 bool[]
-- title-only per term, $7 float8[] each match's IDF, $8 average length.
WITH m AS (
    SELECT a.id, a.original_id, a.sort_time, a.url_key, s.score
    FROM articles a
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(($7::float8[])[f.m] * (f.freq * 2.2) / (f.freq + 1.2 * (0.25 + 0.75 * a.doc_len / $8::float8))), 0) AS score
        FROM (
            SELECT i.m, sum(CASE WHEN i.title THEN 3.0 ELSE 1.0 END) AS freq
            FROM (
                SELECT q.m, p.pos - q.off AS start, bool_or(q.off = 0 AND p.w = 'A') AS title
                FROM unnest(a.fts) AS u(lexeme, positions, weights)
                JOIN unnest($2::text[], $3::int[], $4::int[], $6::bool[]) AS q(term, m, off, title_only) ON q.term = u.lexeme
                CROSS JOIN LATERAL unnest(u.positions, u.weights) AS p(pos, w)
                WHERE NOT q.title_only OR p.w = 'A'
                GROUP BY q.m, start
                HAVING count(*) = ($5::int[])[q.m]
            ) i
            GROUP BY i.m
        ) f
    ) s
    WHERE a.fts @@ $1::tsquery {{filters}}
)
{{select}}
ORDER BY {{order}}
LIMIT {{limit}} OFFSET {{offset}};

-- name: SearchSelectHits
SELECT {{acols}}, m.score FROM m JOIN articles a ON a.id = m.id

-- name: SearchSelectRanked
SELECT m.id, CASE m.original_id WHEN 0 THEN m.id ELSE m.original_id END, m.score FROM m

-- name: SearchArticles
-- The page's articles, without their HTML.
SELECT {{bodycols}} FROM articles WHERE id = ANY($1::bigint[]);

-- name: SearchGroupMatches
-- The matching members of some copy groups ($2 bigint[]).
SELECT CASE a.original_id WHEN 0 THEN a.id ELSE a.original_id END AS g, count(*), bool_or(a.original_id = 0)
FROM articles a
WHERE (a.id = ANY($2::bigint[]) OR a.original_id = ANY($2::bigint[]))
  AND (CASE a.original_id WHEN 0 THEN a.id ELSE a.original_id END) = ANY($2::bigint[])
  AND a.fts @@ $1::tsquery {{filters}}
GROUP BY g;

-- name: ArticleChanges
SELECT id, seq FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2;
