-- promote_user.sql: gives a user another role (promote or demote).
--
--   mariadb inkwell -e "SET @email='x@example.com', @role='Moderator'; SOURCE sql/admin/promote_user.sql;"
--
-- @email: the account's email (any case). @role: a role name from the roles
-- table, any case: User (the default), Moderator or Administrator.
-- Prints the account with its new role. An unknown email or role is an error
-- (ERROR 1644 ... no such role / no user with that email) and nothing changes.
-- The client's exit status stays 0 after an error in a SOURCEd file unless
-- it is given --abort-source-on-error (or the file comes on stdin:
-- mariadb inkwell < file, with the variables set in it); the statements below
-- never change anything after a failed check either way.
-- Takes effect on the user's next request (permissions are read each time).
SET @promote_email = CONVERT(LOWER(TRIM(@email)) USING utf8mb4) COLLATE utf8mb4_bin;
SET @promote_role_id = (SELECT id FROM roles
                         WHERE LOWER(name) = CONVERT(LOWER(TRIM(@role)) USING utf8mb4)
                               COLLATE utf8mb4_bin
                         ORDER BY id LIMIT 1);

DELIMITER //
BEGIN NOT ATOMIC IF @promote_role_id IS NULL THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'promote_user.sql: no such role: set @role to User, Moderator or Administrator'; END IF; END//
BEGIN NOT ATOMIC IF NOT EXISTS (SELECT 1 FROM users WHERE email = @promote_email) THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'promote_user.sql: no user with that email: set @email'; END IF; END//
DELIMITER ;

UPDATE users SET role_id = @promote_role_id
 WHERE email = @promote_email AND @promote_role_id IS NOT NULL;

SELECT u.id, u.email, u.username, r.name AS role, r.permissions, u.confirmed
  FROM users u JOIN roles r ON r.id = u.role_id
 WHERE u.email = @promote_email AND u.role_id = @promote_role_id;
