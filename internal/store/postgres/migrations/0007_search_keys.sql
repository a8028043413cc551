-- Collapsing search results reads the matching members of a page's copy
-- groups: an article's copies by original_id. (Copy detection's migration
-- makes the same index; IF NOT EXISTS lets either come first.)
CREATE INDEX IF NOT EXISTS articles_original ON articles (original_id) WHERE original_id <> 0;
