-- A new post, a comment, a follow and an unfollow in one round trip each
-- (issue 10). Every post holds the posts counter's row from the counter's
-- update to its commit (that is what gives posts their positions in
-- order), every comment the comments counter's, every follow both users'
-- rows: each waits for the one before, and every round trip between the
-- worker and the server inside that span was time the next one waited. Run
-- from the worker, the same statements made about 30% fewer posts a second
-- at a third more CPU each.
-- Each procedure's statements are also in its model (create_post_statements
-- in app/models/post.cpp with add_new_post_to_feeds in app/models/feed.cpp;
-- create_comment_statements in app/models/comment.cpp; follow_statements and
-- unfollow_statements in app/models/follow.cpp, with add_author_to_feed and
-- remove_author_from_feed in app/models/feed.cpp), which runs them one
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

-- Both users' rows locked, in primary-key order, inside the caller's
-- transaction; error 45404 unless both are there (models/follow.cpp,
-- lock_pair).
DROP PROCEDURE IF EXISTS inkwell_lock_users;
DELIMITER //
CREATE PROCEDURE inkwell_lock_users(IN p_a BIGINT UNSIGNED, IN p_b BIGINT UNSIGNED)
  READS SQL DATA SQL SECURITY INVOKER
BEGIN
  DECLARE v_found BIGINT DEFAULT 0;
  SELECT COUNT(*) INTO v_found FROM users WHERE id IN (p_a, p_b) FOR UPDATE;
  IF v_found <> 2 THEN
    SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 45404, MESSAGE_TEXT = 'no such user';
  END IF;
END //
DELIMITER ;

-- A follow and an unfollow: both users' rows locked first
-- (inkwell_lock_users: two follows never wait on each other in a cycle, and
-- the insert's foreign-key checks find them locked already); error 45404
-- when a user is not there, 45409 when there is nothing to change
-- (models::follow and unfollow answer false); the counters; then the
-- follower's feed gains or loses the author's posts (those fanned out:
-- models/feed.hpp).
DROP PROCEDURE IF EXISTS inkwell_follow;
DELIMITER //
CREATE PROCEDURE inkwell_follow(IN p_follower_id BIGINT UNSIGNED,
                                IN p_followed_id BIGINT UNSIGNED)
  MODIFIES SQL DATA SQL SECURITY INVOKER
BEGIN
  DECLARE v_added BIGINT DEFAULT 0;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  START TRANSACTION;
  CALL inkwell_lock_users(p_follower_id, p_followed_id);
  INSERT IGNORE INTO follows (follower_id, followed_id) VALUES (p_follower_id, p_followed_id);
  IF ROW_COUNT() = 0 THEN
    SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 45409, MESSAGE_TEXT = 'already following';
  END IF;
  UPDATE users SET following_count = following_count + (id = p_follower_id),
                   followers_count = followers_count + (id = p_followed_id)
   WHERE id IN (p_follower_id, p_followed_id);
  INSERT IGNORE INTO feed_entries (reader_id, timestamp, post_id)
    SELECT p_follower_id, p.timestamp, p.id FROM posts p
     WHERE p.author_id = p_followed_id
       AND NOT EXISTS (SELECT 1 FROM feed_unfanned_posts n WHERE n.post_id = p.id);
  SET v_added = ROW_COUNT();
  INSERT INTO feed_counts (reader_id, entries) VALUES (p_follower_id, v_added)
    ON DUPLICATE KEY UPDATE entries = entries + VALUES(entries);
  COMMIT;
END //
DELIMITER ;

DROP PROCEDURE IF EXISTS inkwell_unfollow;
DELIMITER //
CREATE PROCEDURE inkwell_unfollow(IN p_follower_id BIGINT UNSIGNED,
                                  IN p_followed_id BIGINT UNSIGNED)
  MODIFIES SQL DATA SQL SECURITY INVOKER
BEGIN
  DECLARE v_removed BIGINT DEFAULT 0;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  START TRANSACTION;
  CALL inkwell_lock_users(p_follower_id, p_followed_id);
  DELETE FROM follows WHERE follower_id = p_follower_id AND followed_id = p_followed_id;
  IF ROW_COUNT() = 0 THEN
    SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 45409, MESSAGE_TEXT = 'not following';
  END IF;
  -- Never below zero, even if a counter had drifted (unsigned columns).
  UPDATE users
     SET following_count = IF(id = p_follower_id AND following_count > 0,
                              following_count - 1, following_count),
         followers_count = IF(id = p_followed_id AND followers_count > 0,
                              followers_count - 1, followers_count)
   WHERE id IN (p_follower_id, p_followed_id);
  DELETE e FROM posts p STRAIGHT_JOIN feed_entries e
      ON e.reader_id = p_follower_id AND e.timestamp = p.timestamp AND e.post_id = p.id
   WHERE p.author_id = p_followed_id;
  SET v_removed = ROW_COUNT();
  UPDATE feed_counts SET entries = IF(entries > v_removed, entries - v_removed, 0)
   WHERE reader_id = p_follower_id;
  COMMIT;
END //
DELIMITER ;
