-- reset_two_factor.sql: turns two-factor login off for an owner who lost
-- both their authenticator and their recovery codes (after checking who
-- they are). Their password alone logs in again; they can set it up anew.
--
--   mariadb inkwell -e "SET @email='x@example.com'; SOURCE sql/admin/reset_two_factor.sql;"
--
-- The same as `inkwell users reset-2fa EMAIL`. An unknown email is an error
-- (ERROR 1644 ... no user with that email) and nothing changes. Prints the
-- account and its two-factor state.
SET @reset_email = CONVERT(LOWER(TRIM(@email)) USING utf8mb4) COLLATE utf8mb4_bin;

DELIMITER //
BEGIN NOT ATOMIC IF NOT EXISTS (SELECT 1 FROM users WHERE email = @reset_email) THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'reset_two_factor.sql: no user with that email: set @email'; END IF; END//
DELIMITER ;

START TRANSACTION;
DELETE c FROM recovery_codes c JOIN users u ON u.id = c.user_id WHERE u.email = @reset_email;
UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = 0
 WHERE email = @reset_email;
COMMIT;

SELECT id, email, username, IF(totp_secret IS NULL, 'off', 'on') AS two_factor
  FROM users WHERE email = @reset_email;
