-- A login's writes in one round trip (issue 10): the user's login record,
-- the client's earlier session ended, the new session (and its remember-me
-- token), the device remembered. Run from the worker these were six round
-- trips (START TRANSACTION, four statements, COMMIT), all inside the
-- user's row lock, which every login into that account waits for.
-- The same statements are in log_in (app/auth/sessions.cpp, with
-- record_login, create_remember_token and record_login_device in
-- app/models, create_session in app/models/session.cpp), run one by one in
-- a transaction when the procedure cannot be called (inside a caller's
-- transaction, an account without EXECUTE) or leaves the login to them:
-- a login from a device the account has not used for p_device_days, by an
-- account that has logged in before and wants to hear of it, sends mail,
-- and that mail goes into the outbox in the login's own transaction. The
-- procedure then changes nothing and signals 45303. Change both together.
-- SQL SECURITY INVOKER; begins and commits its own transaction; any error
-- undoes the whole login and reaches the caller as it came.
-- Expand-only: code before it never calls it.
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
  -- The user's row first, for writing: concurrent logins into one account
  -- queue here (the session's foreign key would otherwise take a shared
  -- lock that the update then has to upgrade: a deadlock).
  SELECT login_count, new_signin_mail INTO v_logins, v_wants_mail
    FROM users WHERE id = p_user_id FOR UPDATE;
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
  -- Assignments run left to right: last_* take the values before this login.
  UPDATE users SET last_login_at = current_login_at, last_login_ip = current_login_ip,
         current_login_at = NOW(6), current_login_ip = p_address,
         login_count = login_count + 1, last_seen = NOW(6)
   WHERE id = p_user_id;
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
