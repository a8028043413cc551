-- Change numbers, so a process keeping a copy of the search index in
-- memory (internal/index) can follow changes other processes make: every
-- insert, and every update of what search reads (text, time, source, URL,
-- copy group), takes the next number. SQLite has one writer at a time, so
-- numbers become visible in order.
ALTER TABLE article_keys ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE article_keys SET seq = id;
CREATE INDEX article_keys_seq ON article_keys (seq);

DROP TRIGGER article_keys_insert;
CREATE TRIGGER article_keys_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_keys (id, source_id, sort_time, grp, url_key, seq)
    VALUES (new.id, new.source_id, new.sort_time, CASE new.original_id WHEN 0 THEN new.id ELSE new.original_id END, new.url_key,
        (SELECT coalesce(max(seq), 0) + 1 FROM article_keys));
END;
DROP TRIGGER article_keys_update;
CREATE TRIGGER article_keys_update AFTER UPDATE OF id, source_id, sort_time, original_id, url_key, title, body ON articles BEGIN
    UPDATE article_keys SET id = new.id, source_id = new.source_id, sort_time = new.sort_time,
        grp = CASE new.original_id WHEN 0 THEN new.id ELSE new.original_id END, url_key = new.url_key,
        seq = (SELECT coalesce(max(seq), 0) + 1 FROM article_keys)
    WHERE id = old.id;
END;
