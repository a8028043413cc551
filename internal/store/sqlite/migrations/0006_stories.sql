-- Stories: groups of articles about one event (internal/cluster). An
-- article's story is articles.story_id; a story's ID is the ID of the
-- article that started it. The record is derived data the clustering stage
-- rewrites whenever the story changes. Times are Unix seconds.
CREATE TABLE stories (
    id            INTEGER PRIMARY KEY,
    title         TEXT    NOT NULL DEFAULT '',
    article_id    INTEGER NOT NULL DEFAULT 0,
    image         TEXT    NOT NULL DEFAULT '',
    article_count INTEGER NOT NULL DEFAULT 0,
    group_count   INTEGER NOT NULL DEFAULT 0,
    source_count  INTEGER NOT NULL DEFAULT 0,
    -- source IDs in order of their first article, comma-separated
    sources       TEXT    NOT NULL DEFAULT '',
    first_seen    INTEGER NOT NULL DEFAULT 0,
    last_seen     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_last_seen ON stories (last_seen DESC, id DESC);
