-- purge_expired.sql: deletes what has expired or is no longer needed:
--   sessions and remember-me tokens past their expires_at,
--   login failures older than a day (the throttle looks back 15 minutes),
--   requests for mail older than a day (the limits look back 15 minutes),
--   outbox mail sent more than 30 days ago (unsent mail is never deleted).
--
--   mariadb inkwell < sql/admin/purge_expired.sql
--
-- Safe to run at any time and as often as wanted (e.g. daily from cron or a
-- systemd timer). Deletes in batches of 10,000 rows, each its own
-- transaction, so that no table is locked for long; prints how many rows each
-- step deleted. Times are UTC, as the application stores them.
SET time_zone = '+00:00';

DELIMITER //
BEGIN NOT ATOMIC
  DECLARE v_sessions, v_tokens, v_failures, v_requests, v_mail, v_n BIGINT DEFAULT 0;
  DECLARE v_now DATETIME(6) DEFAULT NOW(6);
  REPEAT
    DELETE FROM sessions WHERE expires_at < v_now LIMIT 10000;
    SET v_n = ROW_COUNT();
    SET v_sessions = v_sessions + v_n;
  UNTIL v_n = 0 END REPEAT;
  REPEAT
    DELETE FROM remember_tokens WHERE expires_at < v_now LIMIT 10000;
    SET v_n = ROW_COUNT();
    SET v_tokens = v_tokens + v_n;
  UNTIL v_n = 0 END REPEAT;
  REPEAT
    DELETE FROM login_failures WHERE failed_at < v_now - INTERVAL 1 DAY LIMIT 10000;
    SET v_n = ROW_COUNT();
    SET v_failures = v_failures + v_n;
  UNTIL v_n = 0 END REPEAT;
  REPEAT
    DELETE FROM mail_requests WHERE requested_at < v_now - INTERVAL 1 DAY LIMIT 10000;
    SET v_n = ROW_COUNT();
    SET v_requests = v_requests + v_n;
  UNTIL v_n = 0 END REPEAT;
  REPEAT
    DELETE FROM mail_outbox
     WHERE sent_at IS NOT NULL AND sent_at < v_now - INTERVAL 30 DAY LIMIT 10000;
    SET v_n = ROW_COUNT();
    SET v_mail = v_mail + v_n;
  UNTIL v_n = 0 END REPEAT;
  SELECT v_sessions AS expired_sessions, v_tokens AS expired_remember_tokens,
         v_failures AS old_login_failures,
         v_requests AS old_mail_requests, v_mail AS old_sent_mail;
END//
DELIMITER ;
