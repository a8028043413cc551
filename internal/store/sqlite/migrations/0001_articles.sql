-- Articles and their full-text index.
-- Times are Unix seconds (UTC); NULL when unknown.
CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    -- url is the address as published; url_key (internal/urlnorm.Key) is the
    -- identity that makes http/https, www./m./amp and tracking variants one article.
    url         TEXT    NOT NULL,
    url_key     TEXT    NOT NULL UNIQUE,
    source_id   TEXT    NOT NULL,
    title       TEXT    NOT NULL DEFAULT '',
    author      TEXT    NOT NULL DEFAULT '',
    published   INTEGER,
    modified    INTEGER,
    body        TEXT    NOT NULL DEFAULT '',
    html        TEXT    NOT NULL DEFAULT '',
    lang        TEXT    NOT NULL DEFAULT '',
    site_name   TEXT    NOT NULL DEFAULT '',
    image       TEXT    NOT NULL DEFAULT '',
    attribution TEXT    NOT NULL DEFAULT '',
    fetched_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- sort_time = coalesce(published, fetched_at): one indexed column for "newest first".
    sort_time   INTEGER NOT NULL,
    story_id    INTEGER NOT NULL DEFAULT 0,
    original_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_sort_time ON articles (sort_time DESC, id DESC);
CREATE INDEX articles_source_time ON articles (source_id, sort_time DESC, id DESC);
CREATE INDEX articles_story ON articles (story_id) WHERE story_id <> 0;

-- The search index holds analysed terms (internal/arabic), space-joined, with
-- rowid = articles.id. Contentless: the text lives in articles; terms are
-- never read back. The tokenizer only splits on the spaces we put there (and
-- on ASCII punctuation inside a term, which queries quote the same way).
-- ascii, not unicode61: the analyzer already folded the terms, and on their
-- alphabet (arabic.TermRune) both split and fold alike, so databases made
-- with unicode61 before 2026-11-27 answer the same; ascii does not look
-- every rune up in Unicode's tables (a fifth of an import's index writes).
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii'
);
