#include "models/rate_limit.hpp"

namespace inkwell::models {

long hit_rate_limit(core::Db& db, std::string_view bucket, long window_seconds) {
  const std::int64_t window = window_seconds;
  // LAST_INSERT_ID(expr) hands the row's new count back on this connection
  // without a second read that another worker's hit could slip before.
  // Counters are bookkeeping no page shows: the page cache stays valid.
  const std::uint64_t affected = db.execute_unseen(
      "INSERT INTO rate_limits (bucket, window_start, hits) "
      "VALUES (?, UNIX_TIMESTAMP() - MOD(UNIX_TIMESTAMP(), ?), LAST_INSERT_ID(1)) "
      "ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + 1)",
      bucket, window);
  const long hits = static_cast<long>(db.last_insert_id());
  if (affected == 1) {  // a new window: the ended ones of every bucket go
    db.execute_unseen(
        "DELETE FROM rate_limits WHERE window_start < UNIX_TIMESTAMP() - MOD(UNIX_TIMESTAMP(), ?) "
        "LIMIT 1000",
        window);
  }
  return hits;
}

}  // namespace inkwell::models
