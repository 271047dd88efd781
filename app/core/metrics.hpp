// Counters for Prometheus, shared by every process of the pool. The master
// maps one anonymous MAP_SHARED segment before it forks (init_shared), so
// each worker adds to the same lock-free atomic counters and any worker can
// render the whole pool's figures (the /metrics route). Without the segment
// (the CLI, the mailer, unit tests that do not map it) every call is a no-op.
//
// Per process, not shared: the database time of the request in hand
// (add_db_time / take_request_db_us), since a worker serves one request at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inkwell::core::metrics {

// Routes beyond this share the "other" series (the table has about 70).
inline constexpr int kMaxRoutes = 128;
// route_index of a visitor's page answered from the page cache (no route is
// matched for it): counted as route="page_cache".
inline constexpr int kPageCacheRoute = -2;

// Maps the shared segment (once; later calls do nothing). Call before fork.
void init_shared();
bool enabled();

// One answered request: its route's index in the route table (-1: no route
// matched, kPageCacheRoute), status, and its total and database time in microseconds.
void record_request(int route_index, int status, std::int64_t us, std::int64_t db_us);
void page_cache_hit();
void worker_restart();
void login_failure();
void login_throttled();

// The database time of the current request in this process.
void add_db_time(std::int64_t us);
std::int64_t take_request_db_us();

// Figures read from the database at scrape time.
struct OutboxFigures {
  std::uint64_t pending = 0, failed = 0, sent = 0;
  std::int64_t oldest_unsent_seconds = -1;  // -1: nothing waits
};

// The Prometheus text exposition (format 0.0.4) of every counter, with the
// route names in table order. outbox is null when the database did not
// answer: inkwell_database_up is 0 then and the outbox gauges are left out.
std::string render(const std::vector<std::string_view>& route_names, const OutboxFigures* outbox);

}  // namespace inkwell::core::metrics
