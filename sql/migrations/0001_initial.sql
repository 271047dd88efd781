-- Roles and users (SPEC §2). Statements end with ';' at the end of a line.
CREATE TABLE IF NOT EXISTS roles (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  is_default BOOLEAN NOT NULL DEFAULT FALSE,
  permissions INT UNSIGNED NOT NULL DEFAULT 0,
  UNIQUE KEY roles_name (name),
  KEY roles_default (is_default)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO roles (name, is_default, permissions) VALUES
  ('User', TRUE, 7),
  ('Moderator', FALSE, 15),
  ('Administrator', FALSE, 31)
ON DUPLICATE KEY UPDATE is_default = VALUES(is_default), permissions = VALUES(permissions);

CREATE TABLE IF NOT EXISTS users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(64) NOT NULL,
  username VARCHAR(64) NOT NULL,
  role_id INT UNSIGNED NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  confirmed BOOLEAN NOT NULL DEFAULT FALSE,
  name VARCHAR(64) NOT NULL DEFAULT '',
  location VARCHAR(64) NOT NULL DEFAULT '',
  about_me TEXT NOT NULL,
  member_since DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  last_seen DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  avatar_hash CHAR(32) NOT NULL,
  UNIQUE KEY users_email (email),
  UNIQUE KEY users_username (username),
  KEY users_role (role_id),
  CONSTRAINT users_role_fk FOREIGN KEY (role_id) REFERENCES roles (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
