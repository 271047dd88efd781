-- unconfirmed_accounts.sql: the accounts whose email address has not been
-- confirmed yet, oldest first, with when they registered, when they were last
-- seen and whether a confirmation mail is still waiting in the outbox.
--
--   mariadb -t inkwell < sql/admin/unconfirmed_accounts.sql
--   mariadb inkwell -e "SOURCE sql/admin/unconfirmed_accounts.sql;"
--
-- Times are UTC, as the application stores them. Read-only.
SET time_zone = '+00:00';

SELECT u.id, u.email, u.username,
       u.member_since,
       TIMESTAMPDIFF(DAY, u.member_since, NOW(6)) AS days_ago,
       GREATEST(u.last_seen, COALESCE(a.last_seen, u.last_seen)) AS last_seen,
       (SELECT COUNT(*) FROM mail_outbox m
         WHERE m.recipient = u.email AND m.sent_at IS NULL
           AND m.subject LIKE '%Confirm Your Account%') AS confirmation_mail_pending
  FROM users u LEFT JOIN user_activity a ON a.user_id = u.id
 WHERE NOT u.confirmed
 ORDER BY u.member_since, u.id;

SELECT COUNT(*) AS unconfirmed_accounts FROM users WHERE NOT confirmed;
