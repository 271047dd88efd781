-- The followed feed, written when a post is made (fan-out on write, issue
-- 10): every reader has one row per post of the people they follow
-- (themselves included), keyed so that their page N is one range of the
-- primary key, read newest first; and the number of those rows, for the
-- pager. create_post adds the post to its author's followers' feeds in the
-- post's own transaction; follow and unfollow add or remove the followed
-- author's posts in theirs. A reading never joins follows to posts again.
-- No foreign keys, on purpose: their checks would take shared locks on
-- every follower's users row inside create_post, and a follower posting at
-- the same moment holds their own row while waiting for the posts counter
-- (a deadlock). The application never deletes users or posts; rows deleted
-- by hand are dropped from the pages by the join and repaired by
-- sql/admin/rebuild_feeds.sql.
-- Expand-only: old code does not read or write these tables; a post made
-- by old code while new code runs is missing from feeds until
-- sql/admin/rebuild_feeds.sql is run (see README: upgrades).
CREATE TABLE IF NOT EXISTS feed_entries (
  reader_id BIGINT UNSIGNED NOT NULL,
  timestamp DATETIME(6) NOT NULL,
  post_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (reader_id, timestamp, post_id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS feed_counts (
  reader_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  entries BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;

DELETE FROM feed_entries;
INSERT INTO feed_entries (reader_id, timestamp, post_id)
  SELECT f.follower_id, p.timestamp, p.id
    FROM follows f JOIN posts p ON p.author_id = f.followed_id;
DELETE FROM feed_counts;
INSERT INTO feed_counts (reader_id, entries)
  SELECT reader_id, COUNT(*) FROM feed_entries GROUP BY reader_id;
