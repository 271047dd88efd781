-- A message the SMTP server refused for good (a 5xx reply) as many times as
-- INKWELL_MAIL_MAX_ATTEMPTS allows is given up: failed_at is set and the
-- mailer no longer claims it. `inkwell outbox-retry` hands it back.
ALTER TABLE mail_outbox ADD COLUMN failed_at DATETIME(6) NULL AFTER sent_at;
ALTER TABLE mail_outbox DROP KEY outbox_pending,
  ADD KEY outbox_pending (sent_at, failed_at, next_attempt_at);
