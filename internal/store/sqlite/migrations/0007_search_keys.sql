-- What search reads of every match (source, time, copy group, URL key for
-- ties) in a narrow table of its own. In articles these columns sit after
-- the large body and html, so reading them for each of thousands of
-- matches walked every row's overflow pages. Triggers keep it in step.
CREATE TABLE article_keys (
    id        INTEGER PRIMARY KEY,
    source_id TEXT    NOT NULL,
    sort_time INTEGER NOT NULL,
    -- grp: the copy group, original_id or, for an original, id itself.
    grp       INTEGER NOT NULL,
    url_key   TEXT    NOT NULL
);
CREATE INDEX article_keys_grp ON article_keys (grp);
INSERT INTO article_keys (id, source_id, sort_time, grp, url_key)
SELECT id, source_id, sort_time, CASE original_id WHEN 0 THEN id ELSE original_id END, url_key FROM articles;

CREATE TRIGGER article_keys_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_keys (id, source_id, sort_time, grp, url_key)
    VALUES (new.id, new.source_id, new.sort_time, CASE new.original_id WHEN 0 THEN new.id ELSE new.original_id END, new.url_key);
END;
CREATE TRIGGER article_keys_update AFTER UPDATE OF id, source_id, sort_time, original_id, url_key ON articles BEGIN
    UPDATE article_keys SET id = new.id, source_id = new.source_id, sort_time = new.sort_time,
        grp = CASE new.original_id WHEN 0 THEN new.id ELSE new.original_id END, url_key = new.url_key
    WHERE id = old.id;
END;
CREATE TRIGGER article_keys_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_keys WHERE id = old.id;
END;
