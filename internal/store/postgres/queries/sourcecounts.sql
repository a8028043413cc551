-- name: SourceCounts
SELECT source_id, count(*), max(sort_time) FROM articles GROUP BY source_id ORDER BY source_id;
