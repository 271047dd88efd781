-- Deep pages cost what page 1 costs (issue 10): every post carries its
-- position in the site's timeline (seq: 1 = the oldest) and in its author's
-- (author_seq), so page N of newest-first is a range of positions, found in
-- an index, instead of an OFFSET that reads and drops every row before it.
-- create_post assigns both under the locks it already takes (the 'posts'
-- counter row and the author's row) and keeps timestamps strictly rising
-- with seq, so ordering by seq is ordering by (timestamp, id). Bulk tools
-- (inkwell fake, the Flasky import) renumber after inserting
-- (models::renumber_post_positions); readers check that a page's positions
-- are all there and fall back to OFFSET otherwise.
ALTER TABLE posts
  ADD COLUMN IF NOT EXISTS seq BIGINT UNSIGNED NULL,
  ADD COLUMN IF NOT EXISTS author_seq INT UNSIGNED NULL,
  ADD INDEX IF NOT EXISTS posts_seq (seq),
  ADD INDEX IF NOT EXISTS posts_author_seq (author_id, author_seq);

UPDATE posts p
  JOIN (SELECT id,
               ROW_NUMBER() OVER (ORDER BY timestamp, id) AS n,
               ROW_NUMBER() OVER (PARTITION BY author_id ORDER BY timestamp, id) AS a
          FROM posts) r ON r.id = p.id
  SET p.seq = r.n, p.author_seq = r.a;
