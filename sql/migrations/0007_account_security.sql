-- The account page: the login record, every session with where and what it
-- runs on, and personal API tokens.

-- Trackable logins (form logins only): the current and the previous one.
ALTER TABLE users ADD COLUMN IF NOT EXISTS current_login_at DATETIME(6) NULL;
ALTER TABLE users ADD COLUMN IF NOT EXISTS current_login_ip VARCHAR(64) NULL;
ALTER TABLE users ADD COLUMN IF NOT EXISTS last_login_at DATETIME(6) NULL;
ALTER TABLE users ADD COLUMN IF NOT EXISTS last_login_ip VARCHAR(64) NULL;
ALTER TABLE users ADD COLUMN IF NOT EXISTS login_count INT UNSIGNED NOT NULL DEFAULT 0;

-- Sessions the owner can see and end one by one: a public number (the id
-- hash stays secret), where and in what it was started, when it was last
-- seen (at most once a minute), and the remember-me token it came with, so
-- that ending the session ends that too.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS public_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE KEY;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS address VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS user_agent VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS last_seen_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS remember_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL;

-- Personal API tokens: named, stored hashed, optionally expiring; each
-- carries the token version it was made under and dies when that moves on
-- (password or email change, "log out everywhere").
CREATE TABLE IF NOT EXISTS api_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(64) NOT NULL,
  token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  token_version INT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  last_used_at DATETIME(6) NULL,
  expires_at DATETIME(6) NULL,
  UNIQUE KEY api_tokens_hash (token_hash),
  KEY api_tokens_user (user_id),
  CONSTRAINT api_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- New sign-in mail: the (address, browser) pairs each user logged in from,
-- and whether the owner wants to hear of new ones.
ALTER TABLE users ADD COLUMN IF NOT EXISTS new_signin_mail BOOLEAN NOT NULL DEFAULT TRUE;
CREATE TABLE IF NOT EXISTS login_devices (
  user_id BIGINT UNSIGNED NOT NULL,
  address VARCHAR(64) NOT NULL,
  agent_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  last_login_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (user_id, address, agent_hash),
  KEY login_devices_time (last_login_at),
  CONSTRAINT login_devices_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
