-- rebuild_feeds.sql: builds every reader's followed feed again from follows
-- and posts (feed_entries, and their counts in feed_counts; the posts of authors
-- with many followers, feed_unfanned_posts, stay merged when read).
--
--   mariadb --abort-source-on-error inkwell < sql/admin/rebuild_feeds.sql
--
-- Needed only after posts or follows were inserted or deleted by hand, or
-- after posts were made by a version older than migration 0012 while it
-- ran beside a newer one: the application writes feeds with every post,
-- follow and unfollow, and logs "followed feeds out of step with their
-- counts" when a page finds fewer posts than its count. The same statements
-- as models::rebuild_feeds (inkwell fake and the Flasky import run it), in
-- one transaction: readers see the old feeds until it commits.
START TRANSACTION;
DELETE FROM feed_counts;
DELETE FROM feed_entries;
-- The posts of authors with many followers stay unfanned (listed in
-- feed_unfanned_posts, merged into feeds when read).
INSERT INTO feed_entries (reader_id, timestamp, post_id)
  SELECT f.follower_id, p.timestamp, p.id
    FROM follows f JOIN posts p ON p.author_id = f.followed_id
   WHERE NOT EXISTS (SELECT 1 FROM feed_unfanned_posts n WHERE n.post_id = p.id);
INSERT INTO feed_counts (reader_id, entries)
  SELECT reader_id, COUNT(*) FROM feed_entries GROUP BY reader_id;
DELETE FROM feed_unfanned_posts
 WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = feed_unfanned_posts.post_id);
DELETE FROM feed_big_authors;
INSERT INTO feed_big_authors (author_id, posts)
  SELECT author_id, COUNT(*) FROM feed_unfanned_posts GROUP BY author_id;
COMMIT;
SELECT COUNT(*) AS feed_entries FROM feed_entries;
