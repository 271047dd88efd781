-- A new post, and a new comment, in one round trip each (issue 10). Every
-- post holds the posts counter's row from the counter's update to its
-- commit (that is what gives posts their positions in order), and every
-- comment the comments counter's: each waits for the one before, and every
-- round trip between the worker and the server inside that span was time
-- the next one waited. Run from the worker, the same statements made about
-- 30% fewer posts a second at a third more CPU each.
-- Each procedure's statements are also in its model (create_post_statements
-- in app/models/post.cpp with add_new_post_to_feeds in app/models/feed.cpp;
-- create_comment_statements in app/models/comment.cpp), which runs them one
-- by one when the procedure cannot be called (the application account
-- without EXECUTE: README, Upgrade). Change both together.
-- SQL SECURITY INVOKER: their statements run with the caller's privileges.
-- Each begins and commits its own transaction: never called inside one.
-- Any error (a deadlock, a write-set conflict found at COMMIT) undoes the
-- whole write and reaches the caller as it came.
-- Expand-only: code before it never calls them.
DROP PROCEDURE IF EXISTS inkwell_create_post;
DELIMITER //
CREATE PROCEDURE inkwell_create_post(IN p_author_id BIGINT UNSIGNED, IN p_body MEDIUMTEXT,
                                     IN p_body_html MEDIUMTEXT, IN p_fanout_max BIGINT)
  MODIFIES SQL DATA SQL SECURITY INVOKER
BEGIN
  DECLARE v_post_id BIGINT UNSIGNED DEFAULT NULL;
  DECLARE v_followers BIGINT DEFAULT NULL;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  START TRANSACTION;
  -- The author's row first, then the site's counter (the order of
  -- create_post_statements): two posts at once queue, never deadlock.
  UPDATE users SET post_count = post_count + 1 WHERE id = p_author_id;
  UPDATE counters SET value = value + 1 WHERE name = 'posts';
  INSERT INTO posts (body, body_html, author_id, seq, author_seq, timestamp)
    SELECT p_body, p_body_html, u.id, c.value, u.post_count,
           GREATEST(UTC_TIMESTAMP(6),
                    COALESCE((SELECT MAX(k.timestamp) FROM posts k) + INTERVAL 1 MICROSECOND,
                             UTC_TIMESTAMP(6)))
      FROM users u JOIN counters c ON c.name = 'posts' WHERE u.id = p_author_id;
  -- Into the feed of every follower (the author too), read through the post.
  INSERT INTO feed_entries (reader_id, timestamp, post_id)
    SELECT f.follower_id, p.timestamp, p.id FROM posts p
      JOIN users u ON u.id = p.author_id AND u.followers_count < p_fanout_max
      JOIN follows f ON f.followed_id = p.author_id
     WHERE p.id = LAST_INSERT_ID();
  IF ROW_COUNT() > 0 THEN
    INSERT INTO feed_counts (reader_id, entries)
      SELECT follower_id, 1 FROM follows WHERE followed_id = p_author_id
      ON DUPLICATE KEY UPDATE entries = entries + 1;
  ELSE
    -- An author with many followers, or a post the transaction lost.
    SELECT p.id, u.followers_count INTO v_post_id, v_followers
      FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = LAST_INSERT_ID();
    IF v_post_id IS NULL THEN
      SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213,
        MESSAGE_TEXT = 'the new post vanished from its own transaction (rolled back by a conflict)';
    END IF;
    IF v_followers >= p_fanout_max THEN
      INSERT INTO feed_unfanned_posts (author_id, timestamp, post_id)
        SELECT author_id, timestamp, id FROM posts WHERE id = v_post_id;
      INSERT INTO feed_big_authors (author_id, posts) VALUES (p_author_id, 1)
        ON DUPLICATE KEY UPDATE posts = posts + 1;
    END IF;
  END IF;
  COMMIT;
END //
DELIMITER ;

DROP PROCEDURE IF EXISTS inkwell_create_comment;
DELIMITER //
CREATE PROCEDURE inkwell_create_comment(IN p_post_id BIGINT UNSIGNED,
                                        IN p_author_id BIGINT UNSIGNED, IN p_body MEDIUMTEXT,
                                        IN p_body_html MEDIUMTEXT)
  MODIFIES SQL DATA SQL SECURITY INVOKER
BEGIN
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  START TRANSACTION;
  -- The post's row first (its counter), then the insert's foreign key takes
  -- a shared lock on it: two comments at once queue, never deadlock.
  UPDATE posts SET comment_count = comment_count + 1 WHERE id = p_post_id;
  IF ROW_COUNT() = 0 THEN
    -- Error 45404 (models::create_comment answers 404), nothing stored.
    SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 45404, MESSAGE_TEXT = 'no such post';
  END IF;
  INSERT INTO comments (body, body_html, author_id, post_id)
    VALUES (p_body, p_body_html, p_author_id, p_post_id);
  UPDATE counters SET value = value + 1 WHERE name = 'comments';
  COMMIT;
END //
DELIMITER ;
