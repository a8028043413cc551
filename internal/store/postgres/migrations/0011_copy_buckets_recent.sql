-- SQLite splits its bucket table in two (new rows first go to a small
-- one); PostgreSQL keeps one table: its pages are written once per
-- checkpoint, not once per transaction. Kept so both stores share their
-- migration numbers.
SELECT 1;
