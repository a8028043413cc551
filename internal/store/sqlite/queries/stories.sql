-- name: MergeStoryArticles
-- ?1 from, ?2 into. "story_id <> 0" lets SQLite use the partial index
-- articles_story (it cannot tell that ?1 is not 0): without it every merge
-- scanned the whole table, most of the stories stage's import time.
UPDATE articles SET story_id = ?2 WHERE story_id = ?1 AND story_id <> 0;

-- name: DeleteStory
DELETE FROM stories WHERE id = ?;

-- name: AssignStory
UPDATE articles SET story_id = ?2 WHERE id = ?1;

-- name: UpsertStory
INSERT INTO stories (id, title, article_id, image, article_count, group_count, source_count, sources, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET title = excluded.title, article_id = excluded.article_id, image = excluded.image,
    article_count = excluded.article_count, group_count = excluded.group_count, source_count = excluded.source_count,
    sources = excluded.sources, first_seen = excluded.first_seen, last_seen = excluded.last_seen;

-- name: StoryByID
SELECT id, title, article_id, image, article_count, group_count, sources, first_seen, last_seen FROM stories WHERE id = ?;

-- name: ListStories
-- ?1 last seen at or after, ?2 least sources, ?3 limit, ?4 offset.
SELECT id, title, article_id, image, article_count, group_count, sources, first_seen, last_seen FROM stories WHERE last_seen >= ?1 AND source_count >= ?2
ORDER BY last_seen DESC, id DESC LIMIT ?3 OFFSET ?4;

-- name: ArticleStories
SELECT id, story_id FROM articles WHERE id > ? ORDER BY id LIMIT ?;

-- name: StoryStats
-- ?1 last seen at or after, ?2 least sources, ?3 limit, ?4 offset; answered from stories_rank alone.
SELECT id, source_count, group_count, first_seen, last_seen FROM stories WHERE last_seen >= ?1 AND source_count >= ?2
ORDER BY last_seen DESC, id DESC LIMIT ?3 OFFSET ?4;
