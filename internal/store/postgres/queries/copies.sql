-- name: LockCopies
-- One copy decision at a time across every process on the database.
SELECT pg_advisory_xact_lock(7885081633309360389);

-- name: CopyCandidates
-- $1 exact hash (0: none), $2 bucket keys, $3 article to leave out, $4 per-key limit,
-- $5–$6 the time window (NULL: none).
SELECT p.article_id, p.source_id, p.sort_time, p.credit, p.version, p.exact, p.words, p.shingles, p.numbers,
       p.signature, coalesce(a.original_id, 0)
FROM copy_prints p LEFT JOIN articles a ON a.id = p.article_id
WHERE p.article_id IN (
    SELECT l.article_id FROM unnest($2::bigint[]) k(bucket)
    CROSS JOIN LATERAL (SELECT b.article_id FROM copy_buckets b WHERE b.bucket = k.bucket AND b.article_id <> $3
                        ORDER BY b.article_id DESC LIMIT $4) l
    UNION
    SELECT e.article_id FROM (SELECT article_id FROM copy_prints WHERE $1::bigint <> 0 AND exact = $1::bigint AND article_id <> $3
                              ORDER BY article_id DESC LIMIT $4) e)
  AND ($5::timestamptz IS NULL OR p.sort_time BETWEEN $5::timestamptz AND $6::timestamptz);

-- name: ArticlePrints
SELECT p.article_id, p.source_id, p.sort_time, p.credit, p.version, p.exact, p.words, p.shingles, p.numbers,
       p.signature, coalesce(a.original_id, 0)
FROM copy_prints p LEFT JOIN articles a ON a.id = p.article_id
WHERE p.article_id = ANY($1::bigint[]);

-- name: PrintBuckets
SELECT buckets FROM copy_prints WHERE article_id = $1;

-- name: PutPrint
INSERT INTO copy_prints (article_id, source_id, sort_time, credit, version, exact, words, shingles, numbers, signature, buckets, seq)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (article_id) DO UPDATE SET source_id = excluded.source_id, sort_time = excluded.sort_time,
    credit = excluded.credit, version = excluded.version, exact = excluded.exact, words = excluded.words,
    shingles = excluded.shingles, numbers = excluded.numbers, signature = excluded.signature,
    buckets = excluded.buckets, seq = excluded.seq;

-- name: DeleteBuckets
DELETE FROM copy_buckets WHERE article_id = $1 AND bucket = ANY($2::bigint[]);

-- name: InsertBuckets
INSERT INTO copy_buckets (bucket, article_id) SELECT unnest($1::bigint[]), $2 ON CONFLICT DO NOTHING;

-- name: SetPrintKeys
-- $1 article IDs, $2 each one's encoded bucket keys; returns the IDs found.
UPDATE copy_prints p SET buckets = k.keys, seq = $3 FROM unnest($1::bigint[], $2::bytea[]) k(id, keys)
WHERE p.article_id = k.id RETURNING p.article_id;

-- name: InsertBucketRows
-- $1 bucket keys, $2 article IDs, pairwise; inserted in key order.
INSERT INTO copy_buckets (bucket, article_id)
SELECT b, a FROM unnest($1::bigint[], $2::bigint[]) r(b, a) ORDER BY b, a ON CONFLICT DO NOTHING;

-- name: Originals
SELECT id, original_id FROM articles WHERE id = ANY($1::bigint[]);

-- name: GroupOf
-- "<> 0" lets the planner use the partial index articles_original.
SELECT id FROM articles WHERE original_id = $1 AND original_id <> 0 ORDER BY id;

-- name: LinkCopy
INSERT INTO copy_links (article_id, original_id, similarity, contained, exact, title_changed, added, removed, rule, detected_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (article_id) DO UPDATE SET original_id = excluded.original_id, similarity = excluded.similarity,
    contained = excluded.contained, exact = excluded.exact, title_changed = excluded.title_changed,
    added = excluded.added, removed = excluded.removed, rule = excluded.rule, detected_at = excluded.detected_at;

-- name: SetOriginal
UPDATE articles SET original_id = $1 WHERE id = $2;

-- name: DeleteLink
DELETE FROM copy_links WHERE article_id = $1;

-- name: CopyLinks
SELECT l.article_id, l.original_id, l.similarity, l.contained, l.exact, l.title_changed, l.added, l.removed, l.rule,
       l.detected_at, coalesce(a.source_id, '')
FROM copy_links l LEFT JOIN articles a ON a.id = l.article_id WHERE l.original_id = $1
ORDER BY a.sort_time, l.article_id;

-- name: CopyLink
SELECT l.article_id, l.original_id, l.similarity, l.contained, l.exact, l.title_changed, l.added, l.removed, l.rule,
       l.detected_at, coalesce(a.source_id, '')
FROM copy_links l LEFT JOIN articles a ON a.id = l.article_id WHERE l.article_id = $1;

-- name: GroupOriginals
SELECT id, url, source_id, title, published, fetched_at, original_id FROM articles a
WHERE original_id = 0 AND EXISTS (SELECT 1 FROM articles c WHERE c.original_id = a.id AND c.original_id <> 0)
ORDER BY sort_time DESC, id DESC LIMIT $1 OFFSET $2;

-- name: GroupCopies
SELECT id, url, source_id, title, published, fetched_at, original_id FROM articles
WHERE original_id = ANY($1::bigint[]) AND original_id <> 0 ORDER BY sort_time, id;

-- name: NextCopySeq
UPDATE copy_seq SET seq = seq + 1 WHERE id = 1 RETURNING seq;

-- name: PrintKeys
-- The keys of the fingerprints written by copy transactions after $1.
SELECT buckets, exact FROM copy_prints WHERE seq > $1;
