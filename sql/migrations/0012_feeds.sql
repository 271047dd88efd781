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
-- Expand-only: old code does not read or write these tables; posts and
-- follows made by old code after this ran are missing from feeds until
-- sql/admin/rebuild_feeds.sql is run (see README: Upgrade).
CREATE TABLE IF NOT EXISTS feed_entries (
  reader_id BIGINT UNSIGNED NOT NULL,
  timestamp DATETIME(6) NOT NULL,
  post_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (reader_id, timestamp, post_id)
) ENGINE=InnoDB;

-- The posts of authors with many followers (INKWELL_FEED_FANOUT_MAX) are
-- not copied into feeds: they are listed here, and a reader's feed is
-- feed_entries plus the rows here of the authors they follow, merged when
-- read. feed_big_authors counts them per author.
CREATE TABLE IF NOT EXISTS feed_unfanned_posts (
  author_id BIGINT UNSIGNED NOT NULL,
  timestamp DATETIME(6) NOT NULL,
  post_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (author_id, timestamp, post_id),
  UNIQUE KEY feed_unfanned_post (post_id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS feed_big_authors (
  author_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  posts BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS feed_counts (
  reader_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  entries BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;

-- READ COMMITTED: the backfill reads follows and posts without locking
-- them (REPEATABLE READ would hold shared locks that stall every new post
-- until it ends).
SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
DELETE FROM feed_entries;
INSERT INTO feed_entries (reader_id, timestamp, post_id)
  SELECT f.follower_id, p.timestamp, p.id
    FROM follows f JOIN posts p ON p.author_id = f.followed_id;
DELETE FROM feed_counts;
INSERT INTO feed_counts (reader_id, entries)
  SELECT reader_id, COUNT(*) FROM feed_entries GROUP BY reader_id;
SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;
