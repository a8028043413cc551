-- Change numbers, so a process keeping a copy of the search index in
-- memory (internal/index) can follow changes other processes make: every
-- insert, and every update of what search reads (text, time, source, URL,
-- copy group), takes the next number of a sequence. Concurrent
-- transactions may commit numbers out of order, so followers re-read a
-- trailing window (store.Store.ArticleChanges).
CREATE SEQUENCE article_change_seq;
ALTER TABLE articles ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
UPDATE articles SET seq = nextval('article_change_seq');
CREATE INDEX articles_seq ON articles (seq);

CREATE FUNCTION articles_next_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.seq := nextval('article_change_seq');
    RETURN NEW;
END
$$;
CREATE TRIGGER articles_seq_insert BEFORE INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_next_seq();
CREATE TRIGGER articles_seq_update BEFORE UPDATE OF source_id, sort_time, original_id, url_key, title, body ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_next_seq();
