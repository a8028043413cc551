-- Copy transactions run one at a time; each takes the next number from
-- copy_seq and stamps the fingerprints it writes, so a process that caches
-- which copy keys exist reads only what others wrote since its last look.
ALTER TABLE copy_prints ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX copy_prints_seq ON copy_prints (seq);
CREATE TABLE copy_seq (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO copy_seq (id, seq) VALUES (1, 0);
