-- Fixed-window request counters shared by every worker and host (the live
-- Markdown preview): one row per bucket (e.g. "preview:<address>") and
-- window, counted atomically by INSERT ... ON DUPLICATE KEY UPDATE, old
-- windows deleted as new ones open, so the table stays small.
CREATE TABLE IF NOT EXISTS rate_limits (
  bucket VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  window_start BIGINT NOT NULL,
  hits INT UNSIGNED NOT NULL,
  PRIMARY KEY (bucket, window_start),
  KEY rate_limits_window (window_start)
) ENGINE=InnoDB;
