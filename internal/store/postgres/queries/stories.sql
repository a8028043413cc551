-- name: LockStories
-- Serialises story saves of every process (transaction-scoped advisory lock;
-- the key is arbitrary but fixed: "stories").
SELECT pg_advisory_xact_lock(7365727173);

-- name: MergeStoryArticles
-- "story_id <> 0" matches the partial index articles_story under a generic
-- plan too (the planner cannot tell that $1 is not 0).
UPDATE articles SET story_id = $2 WHERE story_id = $1 AND story_id <> 0;

-- name: DeleteStory
DELETE FROM stories WHERE id = $1;

-- name: AssignStories
-- $1 article IDs, $2 story IDs (same length).
UPDATE articles a SET story_id = v.story_id
FROM unnest($1::bigint[], $2::bigint[]) AS v(id, story_id)
WHERE a.id = v.id;

-- name: UpsertStory
INSERT INTO stories (id, title, article_id, image, article_count, group_count, source_count, sources, first_seen, last_seen)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (id) DO UPDATE SET title = excluded.title, article_id = excluded.article_id, image = excluded.image,
    article_count = excluded.article_count, group_count = excluded.group_count, source_count = excluded.source_count,
    sources = excluded.sources, first_seen = excluded.first_seen, last_seen = excluded.last_seen;

-- name: StoryByID
SELECT id, title, article_id, image, article_count, group_count, sources, first_seen, last_seen
FROM stories WHERE id = $1;

-- name: ListStories
SELECT id, title, article_id, image, article_count, group_count, sources, first_seen, last_seen
FROM stories WHERE last_seen >= $1 AND source_count >= $2
ORDER BY last_seen DESC, id DESC LIMIT $3 OFFSET $4;

-- name: ArticleStories
SELECT id, story_id FROM articles WHERE id > $1 ORDER BY id LIMIT $2;

-- name: StoryStats
-- answered from stories_rank alone (index-only scan once vacuumed).
SELECT id, source_count, group_count, first_seen, last_seen
FROM stories WHERE last_seen >= $1 AND source_count >= $2
ORDER BY last_seen DESC, id DESC LIMIT $3 OFFSET $4;
