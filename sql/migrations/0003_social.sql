-- Posts, follows and comments (SPEC §4), with counters kept in the same
-- transaction as the rows they count, so that pages never count a table.
ALTER TABLE users
  ADD COLUMN IF NOT EXISTS post_count INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS followers_count INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS following_count INT UNSIGNED NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS posts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  body MEDIUMTEXT NOT NULL,
  body_html MEDIUMTEXT NOT NULL,
  timestamp DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  author_id BIGINT UNSIGNED NOT NULL,
  comment_count INT UNSIGNED NOT NULL DEFAULT 0,
  KEY posts_timestamp (timestamp, id),
  KEY posts_author (author_id, timestamp, id),
  CONSTRAINT posts_author_fk FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every user follows themselves (their posts are in their own feed); lists
-- and counts leave that row out.
CREATE TABLE IF NOT EXISTS follows (
  follower_id BIGINT UNSIGNED NOT NULL,
  followed_id BIGINT UNSIGNED NOT NULL,
  timestamp DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (follower_id, followed_id),
  KEY follows_follower_time (follower_id, timestamp),
  KEY follows_followed_time (followed_id, timestamp),
  CONSTRAINT follows_follower_fk FOREIGN KEY (follower_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT follows_followed_fk FOREIGN KEY (followed_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

INSERT IGNORE INTO follows (follower_id, followed_id, timestamp)
  SELECT id, id, member_since FROM users;

CREATE TABLE IF NOT EXISTS comments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  body TEXT NOT NULL,
  body_html TEXT NOT NULL,
  timestamp DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  author_id BIGINT UNSIGNED NOT NULL,
  post_id BIGINT UNSIGNED NOT NULL,
  KEY comments_post (post_id, timestamp, id),
  KEY comments_timestamp (timestamp, id),
  KEY comments_author (author_id),
  CONSTRAINT comments_author_fk FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT comments_post_fk FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Site-wide totals ('posts', 'comments').
CREATE TABLE IF NOT EXISTS counters (
  name VARCHAR(32) NOT NULL PRIMARY KEY,
  value BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;

INSERT IGNORE INTO counters (name, value) VALUES ('posts', 0), ('comments', 0);
