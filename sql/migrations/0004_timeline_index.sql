-- The newest posts in index order with their authors, so that a followed
-- feed can walk the timeline and keep only followed authors' posts without
-- reading a single row (replaces posts_timestamp, its prefix).
ALTER TABLE posts ADD INDEX IF NOT EXISTS posts_timeline (timestamp, id, author_id);
ALTER TABLE posts DROP INDEX IF EXISTS posts_timestamp;
