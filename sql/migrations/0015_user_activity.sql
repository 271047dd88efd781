-- When a user was last seen, out of `users` (issue 10). A logged-in reader's
-- requests mark them seen at most once a minute; that write to `users`
-- dropped every result MariaDB's query cache held for a statement reading
-- `users`: every page of posts (their authors), the post pages (their
-- commenters), the API's lists. With many readers at once, most of them. A
-- sight now writes this table (and the session's own row); a login still
-- writes users.last_seen, in the row it updates anyway. The user was last
-- seen at the later of the two (kUserColumns in app/models/user.hpp); a
-- user never seen since this migration has no row here.
-- Expand-only: code before it keeps writing users.last_seen, which stays
-- the later of the two for as long as it runs.
CREATE TABLE IF NOT EXISTS user_activity (
  user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  last_seen DATETIME(6) NOT NULL,
  CONSTRAINT user_activity_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;
