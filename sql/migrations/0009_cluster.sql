-- Several app hosts: each host's count of data-changing requests. A host
-- reads their sum at most every INKWELL_PAGE_CACHE_SYNC_MS and drops its
-- cached visitor pages when it moved (one row per host: a host's workers
-- never conflict with another host's at a Galera commit).
CREATE TABLE IF NOT EXISTS page_cache_generations (
  host VARCHAR(255) NOT NULL PRIMARY KEY,
  generation BIGINT UNSIGNED NOT NULL DEFAULT 0,
  changed_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The mailer's claim: one UPDATE writes a token of its own into the rows it
-- takes, then reads them back by it (a Galera cluster lets two mailers'
-- SELECT ... FOR UPDATE SKIP LOCKED on different nodes both take a row).
ALTER TABLE mail_outbox ADD COLUMN IF NOT EXISTS claim_token CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL;
CREATE INDEX IF NOT EXISTS mail_outbox_claim ON mail_outbox (claim_token);
