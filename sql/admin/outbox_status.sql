-- outbox_status.sql: the state of the mail outbox that inkwell-mailer drains.
--
--   mariadb -t inkwell < sql/admin/outbox_status.sql
--
-- First the counts: pending (not sent yet and not given up, failing ones
-- included), failing (pending with at least one failed attempt), due_now
-- (pending and due), failed (given up after INKWELL_MAIL_MAX_ATTEMPTS
-- permanent refusals: `inkwell outbox-retry` hands them back), sent (all
-- time) and sent in the last 24 hours; the oldest pending message and how
-- long it has waited. A growing pending count or an old oldest_pending means
-- the mailer is stopped or the SMTP server refuses.
-- Then the last errors of the failing messages, the next due first, and the
-- latest failed (given up) messages.
-- Times are UTC, as the application stores them. Read-only.
SET time_zone = '+00:00';

SELECT COALESCE(SUM(sent_at IS NULL AND failed_at IS NULL), 0) AS pending,
       COALESCE(SUM(sent_at IS NULL AND failed_at IS NULL AND attempts > 0), 0) AS failing,
       COALESCE(SUM(sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= NOW(6)), 0)
         AS due_now,
       COALESCE(SUM(sent_at IS NULL AND failed_at IS NOT NULL), 0) AS failed,
       COALESCE(SUM(sent_at IS NOT NULL), 0) AS sent,
       COALESCE(SUM(sent_at >= NOW(6) - INTERVAL 1 DAY), 0) AS sent_last_24h,
       MIN(IF(sent_at IS NULL AND failed_at IS NULL, created_at, NULL)) AS oldest_pending,
       TIMESTAMPDIFF(SECOND, MIN(IF(sent_at IS NULL AND failed_at IS NULL, created_at, NULL)),
                     NOW(6)) AS oldest_pending_waiting_s
  FROM mail_outbox;

SELECT id, recipient, subject, created_at, attempts, next_attempt_at, last_error
  FROM mail_outbox
 WHERE sent_at IS NULL AND failed_at IS NULL AND attempts > 0
 ORDER BY next_attempt_at, id
 LIMIT 20;

SELECT id, recipient, subject, created_at, attempts, failed_at, last_error
  FROM mail_outbox
 WHERE sent_at IS NULL AND failed_at IS NOT NULL
 ORDER BY failed_at DESC, id DESC
 LIMIT 20;
