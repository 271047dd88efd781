-- A user's login record, out of `users` (issue 10), as 0015 did for sights.
-- Each login wrote users (the current login becoming the last, the count,
-- last_seen), and any write to `users` drops every result MariaDB's query
-- cache holds for a statement reading `users`: every page of posts (their
-- authors), the post pages (their commenters), the API's lists, the
-- session lookups. A login now writes this table and user_activity.
-- A user's row here is made at their first login after this migration (or
-- the first failed-login alert) from the columns of `users`, which stay as
-- they were then: the record is this row when there is one, else those
-- columns (models::login_record, models::record_login,
-- models::claim_login_alert; the procedure below).
-- Expand-only: code before it keeps writing the columns of `users` and never
-- reads this table; a login through such code while both run is missing
-- from the record of a user who has a row here.
CREATE TABLE IF NOT EXISTS user_logins (
  user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  login_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
  current_login_at DATETIME(6) NULL,
  current_login_ip VARCHAR(64) NULL,
  last_login_at DATETIME(6) NULL,
  last_login_ip VARCHAR(64) NULL,
  login_alert_at DATETIME(6) NULL,
  CONSTRAINT user_logins_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- inkwell_log_in (0014) writing user_logins and user_activity instead of
-- users. Its statements are in app/models/user.cpp (record_login) and
-- app/auth/sessions.cpp (log_in) too: change both together.
DROP PROCEDURE IF EXISTS inkwell_log_in;
DELIMITER //
CREATE PROCEDURE inkwell_log_in(IN p_user_id BIGINT UNSIGNED, IN p_address VARCHAR(64),
                                IN p_ended_session CHAR(64), IN p_session CHAR(64),
                                IN p_fingerprint CHAR(64), IN p_lifetime BIGINT,
                                IN p_user_agent VARCHAR(512), IN p_remember CHAR(64),
                                IN p_remember_lifetime BIGINT, IN p_agent_hash CHAR(64),
                                IN p_device_days BIGINT)
  MODIFIES SQL DATA SQL SECURITY INVOKER
BEGIN
  DECLARE v_logins BIGINT DEFAULT NULL;
  DECLARE v_wants_mail BOOLEAN DEFAULT FALSE;
  DECLARE v_known_device BOOLEAN DEFAULT FALSE;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  START TRANSACTION;
  -- The user's rows first, for writing: concurrent logins into one account
  -- queue here. A lock is not a write: the query cache keeps its results.
  SELECT COALESCE(l.login_count, u.login_count), u.new_signin_mail INTO v_logins, v_wants_mail
    FROM users u LEFT JOIN user_logins l ON l.user_id = u.id
   WHERE u.id = p_user_id FOR UPDATE;
  IF v_logins IS NULL THEN
    ROLLBACK;
    SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 45404, MESSAGE_TEXT = 'no such user';
  END IF;
  SELECT COALESCE(MAX(last_login_at > NOW(6) - INTERVAL p_device_days DAY), FALSE)
    INTO v_known_device FROM login_devices
   WHERE user_id = p_user_id AND address = p_address AND agent_hash = p_agent_hash;
  IF NOT v_known_device AND v_logins >= 1 AND v_wants_mail THEN
    ROLLBACK;
    SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 45303,
      MESSAGE_TEXT = 'a new sign-in mail is due: the login is left to the caller';
  END IF;
  -- The record moves on: current_* become last_* (assignments run left to
  -- right), or its first row here starts from the columns of users.
  INSERT INTO user_logins (user_id, login_count, current_login_at, current_login_ip,
                           last_login_at, last_login_ip, login_alert_at)
    SELECT id, login_count + 1, NOW(6), p_address, current_login_at, current_login_ip,
           login_alert_at
      FROM users WHERE id = p_user_id
    ON DUPLICATE KEY UPDATE last_login_at = user_logins.current_login_at,
       last_login_ip = user_logins.current_login_ip, current_login_at = NOW(6),
       current_login_ip = p_address, login_count = user_logins.login_count + 1;
  INSERT INTO user_activity (user_id, last_seen) VALUES (p_user_id, NOW(6))
    ON DUPLICATE KEY UPDATE last_seen = VALUES(last_seen);
  IF p_ended_session <> '' THEN
    DELETE FROM sessions WHERE id_hash = p_ended_session;
  END IF;
  IF p_remember <> '' THEN
    INSERT INTO remember_tokens (id_hash, user_id, expires_at)
      VALUES (p_remember, p_user_id, NOW(6) + INTERVAL p_remember_lifetime SECOND);
  END IF;
  INSERT INTO sessions (id_hash, user_id, fingerprint, expires_at, address, user_agent,
                        remember_hash)
    VALUES (p_session, p_user_id, p_fingerprint, NOW(6) + INTERVAL p_lifetime SECOND, p_address,
            p_user_agent, NULLIF(p_remember, ''));
  INSERT INTO login_devices (user_id, address, agent_hash)
    VALUES (p_user_id, p_address, p_agent_hash)
    ON DUPLICATE KEY UPDATE last_login_at = NOW(6);
  COMMIT;
END //
DELIMITER ;
