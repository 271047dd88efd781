-- Authentication hardening: revocable tokens, throttling per (account,
-- address), a once-only alert of a flood of failed sign-ins, and limits on
-- the mails anyone can ask for.

-- Every signed token (confirm, reset, change email, API) carries this
-- number; it goes up when the password or the email changes and on "log out
-- everywhere", and a token with an older number is refused.
ALTER TABLE users ADD COLUMN IF NOT EXISTS token_version INT UNSIGNED NOT NULL DEFAULT 0;
-- When the owner was last told of failed sign-ins from many addresses.
ALTER TABLE users ADD COLUMN IF NOT EXISTS login_alert_at DATETIME(6) NULL;

-- Failures are counted per (account, address) as well as per address.
ALTER TABLE login_failures ADD INDEX IF NOT EXISTS failures_pair (email, address, failed_at);

-- Mail asked for on demand (reset, resend confirmation, change email): one
-- row per request, counted per target address, per account and per address.
CREATE TABLE IF NOT EXISTS mail_requests (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  target VARCHAR(255) NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  address VARCHAR(64) NOT NULL,
  requested_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY mail_requests_target (kind, target, requested_at),
  KEY mail_requests_user (kind, user_id, requested_at),
  KEY mail_requests_address (kind, address, requested_at),
  KEY mail_requests_time (requested_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
