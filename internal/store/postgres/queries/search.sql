-- name: SearchStats
SELECT docs, total_len FROM search_stats WHERE id = 1;

-- name: TermDocs
-- Documents containing each term (BM25's n(q)); $1 is a text[] of tsquery literals.
SELECT (SELECT count(*) FROM articles WHERE fts @@ q::tsquery) FROM unnest($1::text[]) WITH ORDINALITY AS t(q, i) ORDER BY i;

-- name: SearchCount
SELECT count(*) FROM articles a WHERE a.fts @@ $1::tsquery {{filters}};

-- name: SearchHits
-- BM25 as SQLite FTS5's bm25() computes it (k1 = 1.2, b = 0.75, title hits
-- weigh 3, document length = all indexed terms), so both stores rank alike.
-- $2 text[] terms, $3 float8[] their IDF, $4 average document length.
SELECT {{acols}}, s.score
FROM articles a
CROSS JOIN LATERAL (
    SELECT coalesce(sum(q.idf * (f.freq * 2.2) / (f.freq + 1.2 * (0.25 + 0.75 * a.doc_len / $4::float8))), 0) AS score
    FROM unnest($2::text[], $3::float8[]) AS q(term, idf)
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(CASE WHEN w = 'A' THEN 3.0 ELSE 1.0 END), 0) AS freq
        FROM unnest(a.fts) AS u(lexeme, positions, weights), unnest(u.weights) AS w
        WHERE u.lexeme = q.term
    ) f
) s
WHERE a.fts @@ $1::tsquery {{filters}}
ORDER BY {{order}}
LIMIT {{limit}} OFFSET {{offset}};
