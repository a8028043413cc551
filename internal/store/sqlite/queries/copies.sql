-- name: CopyCandidates
-- {{keys}} expands to the candidates' subqueries joined by UNION
-- (copies.go): per key, "SELECT * FROM (SELECT article_id … LIMIT n)" over
-- both bucket tables, as SQLite has no LATERAL join; and, with an exact
-- hash, the prints that have it. {{window}} is the time window, or empty
-- (sort_time precedes the hash sets in the row, so a print outside it is
-- skipped before they are read). ?1 the exact hash, ?2 the article to
-- leave out, ?4–?5 the window, ?6… the keys (?3 is unused: the per-key
-- limit is written into the statement). Each form is its own
-- statement: a term like "?1 <> 0" made SQLite re-prepare the whole
-- statement whenever the bound value changed its truth.
SELECT article_id, source_id, sort_time, credit, version, exact, words, shingles, numbers, signature,
       (SELECT original_id FROM articles a WHERE a.id = p.article_id)
FROM copy_prints p
WHERE p.article_id IN ({{keys}}){{window}};

-- name: ArticlePrints
SELECT article_id, source_id, sort_time, credit, version, exact, words, shingles, numbers, signature,
       (SELECT original_id FROM articles a WHERE a.id = p.article_id)
FROM copy_prints p WHERE p.article_id IN (SELECT value FROM json_each(?));

-- name: PrintBuckets
SELECT buckets FROM copy_prints WHERE article_id = ?;

-- name: PutPrint
INSERT INTO copy_prints (article_id, source_id, sort_time, credit, version, exact, words, shingles, numbers, signature, buckets, seq)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (article_id) DO UPDATE SET source_id = excluded.source_id, sort_time = excluded.sort_time,
    credit = excluded.credit, version = excluded.version, exact = excluded.exact, words = excluded.words,
    shingles = excluded.shingles, numbers = excluded.numbers, signature = excluded.signature,
    buckets = excluded.buckets, seq = excluded.seq;

-- name: DeleteBuckets
DELETE FROM copy_buckets WHERE article_id = ?1 AND bucket IN (SELECT value FROM json_each(?2));

-- name: DeleteRecentBuckets
DELETE FROM copy_buckets_recent WHERE article_id = ?1 AND bucket IN (SELECT value FROM json_each(?2));

-- name: InsertBuckets
-- {{rows}} expands to "(?, ?), …", one pair (bucket, article_id) per row (copies.go).
INSERT OR IGNORE INTO copy_buckets_recent (bucket, article_id) VALUES {{rows}};

-- name: RecentBuckets
SELECT count(*) FROM copy_buckets_recent;

-- name: MergeBuckets
INSERT OR IGNORE INTO copy_buckets (bucket, article_id)
SELECT bucket, article_id FROM copy_buckets_recent ORDER BY bucket, article_id;

-- name: ClearRecentBuckets
DELETE FROM copy_buckets_recent;

-- name: SetPrintKeys
-- ?1 the transaction's number; {{rows}} expands to "(?, ?), …", one pair
-- (article_id, encoded keys) per print (copies.go).
UPDATE copy_prints SET buckets = v.column2, seq = ?1
FROM (VALUES {{rows}}) AS v WHERE copy_prints.article_id = v.column1;

-- name: Originals
SELECT id, original_id FROM articles WHERE id IN (SELECT value FROM json_each(?));

-- name: GroupOf
-- "<> 0" lets the planner use the partial index articles_original.
SELECT id FROM articles WHERE original_id = ? AND original_id <> 0 ORDER BY id;

-- name: LinkCopy
INSERT INTO copy_links (article_id, original_id, similarity, contained, exact, title_changed, added, removed, rule, detected_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (article_id) DO UPDATE SET original_id = excluded.original_id, similarity = excluded.similarity,
    contained = excluded.contained, exact = excluded.exact, title_changed = excluded.title_changed,
    added = excluded.added, removed = excluded.removed, rule = excluded.rule, detected_at = excluded.detected_at;

-- name: SetOriginal
UPDATE articles SET original_id = ? WHERE id = ?;

-- name: DeleteLink
DELETE FROM copy_links WHERE article_id = ?;

-- name: CopyLinks
SELECT l.article_id, l.original_id, l.similarity, l.contained, l.exact, l.title_changed, l.added, l.removed, l.rule,
       l.detected_at, coalesce(a.source_id, '')
FROM copy_links l LEFT JOIN articles a ON a.id = l.article_id WHERE l.original_id = ?
ORDER BY a.sort_time, l.article_id;

-- name: CopyLink
SELECT l.article_id, l.original_id, l.similarity, l.contained, l.exact, l.title_changed, l.added, l.removed, l.rule,
       l.detected_at, coalesce(a.source_id, '')
FROM copy_links l LEFT JOIN articles a ON a.id = l.article_id WHERE l.article_id = ?;

-- name: GroupOriginals
SELECT id, url, source_id, title, published, fetched_at, original_id FROM articles a
WHERE original_id = 0 AND EXISTS (SELECT 1 FROM articles c WHERE c.original_id = a.id AND c.original_id <> 0)
ORDER BY sort_time DESC, id DESC LIMIT ? OFFSET ?;

-- name: GroupCopies
SELECT id, url, source_id, title, published, fetched_at, original_id FROM articles
WHERE original_id IN (SELECT value FROM json_each(?)) AND original_id <> 0 ORDER BY sort_time, id;

-- name: NextCopySeq
UPDATE copy_seq SET seq = seq + 1 WHERE id = 1 RETURNING seq;

-- name: PrintKeys
-- The keys of the fingerprints written by copy transactions after ?1.
SELECT buckets, exact FROM copy_prints WHERE seq > ?1;
