-- renumber_posts.sql: gives every post its positions again (posts.seq in the
-- site's timeline, posts.author_seq in its author's), from (timestamp, id).
--
--   mariadb --abort-source-on-error inkwell < sql/admin/renumber_posts.sql
--
-- Needed only after posts were inserted or deleted by hand: pages are read by
-- position, and the application logs "post positions (...) out of step with
-- the counters" (and reads pages the slow way, by OFFSET) until this is run.
-- The same statement as models::renumber_post_positions (inkwell fake and the
-- Flasky import run it), followed by the counters it relies on.
UPDATE posts p
  JOIN (SELECT id,
               ROW_NUMBER() OVER (ORDER BY timestamp, id) AS n,
               ROW_NUMBER() OVER (PARTITION BY author_id ORDER BY timestamp, id) AS a
          FROM posts) r ON r.id = p.id
  SET p.seq = r.n, p.author_seq = r.a;
UPDATE counters SET value = (SELECT COUNT(*) FROM posts) WHERE name = 'posts';
UPDATE users u
  LEFT JOIN (SELECT author_id, COUNT(*) AS n FROM posts GROUP BY author_id) p ON p.author_id = u.id
  SET u.post_count = COALESCE(p.n, 0);
SELECT COUNT(*) AS posts_renumbered FROM posts;
