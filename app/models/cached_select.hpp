#pragma once
// The start of every statement that reads what pages show: post lists, a
// post, its comments, a profile, follower lists, followed feeds.
#include <string>
#include <string_view>

namespace inkwell::models {

// SQL_CACHE lets MariaDB's query cache answer the statement when the server
// runs it with query_cache_type=DEMAND (or ON) and a query_cache_size: an
// identical statement with identical parameters is then answered from the
// stored result, without parsing, optimising or reading a table. MariaDB drops
// every stored result of a table the moment a transaction that changed the
// table commits, on this server or, in a Galera cluster, when the node applies
// another node's write-set (Inkwell's sync wait, INKWELL_DB_SYNC_WAIT, is a
// statement of its own, so the cached reads after it are as fresh as table
// reads). So it is never stale, on one host or several, and there is
// nothing for Inkwell to invalidate. Statements that read the clock (NOW())
// are never cached, whatever they ask. Without the server setting, SQL_CACHE
// does nothing.
inline constexpr std::string_view kCachedSelect = "SELECT SQL_CACHE ";

// A DATETIME(6) column (UTC: every connection runs with time_zone +00:00) as
// microseconds since 1970, NULL for NULL. Deterministic, unlike NOW(): a
// statement compares it with core::now_micros() after reading, and stays
// cacheable.
inline std::string micros_since_epoch(std::string_view column) {
  return "TIMESTAMPDIFF(MICROSECOND, '1970-01-01', " + std::string(column) + ")";
}

}  // namespace inkwell::models
