// The request pipeline of a worker, a fixed sequence of stages each able to
// answer early: route → identity → CSRF → gate → guards → handler → cookies.
// The one try/catch that turns errors into pages (JSON for API clients).
#pragma once

#include <optional>
#include <vector>

#include "core/config.hpp"
#include "core/db.hpp"
#include "core/http.hpp"
#include "core/log_throttle.hpp"
#include "core/page_cache.hpp"
#include "core/router.hpp"
#include "core/view.hpp"

namespace inkwell::core {

// The application's policy, plugged into the pipeline by main.cpp.
struct Pipeline {
  // Finds who is calling (session, remember-me cookie) and fills ctx.user.
  void (*identify)(Context&) = nullptr;
  // May answer before the route's guards run (e.g. the unconfirmed gate).
  std::optional<http::Response> (*gate)(Context&) = nullptr;
  // Where a guard sends a visitor who must log in first.
  http::Response (*login_redirect)(Context&) = nullptr;
  // /api/: authenticates the caller from the request (no cookies, no CSRF);
  // may answer at once (401, 403).
  std::optional<http::Response> (*authenticate_api)(Context&) = nullptr;
  // Several app hosts (INKWELL_PAGE_CACHE_SYNC_MS): records that this host
  // changed data, and reads the sum of every host's changes.
  void (*cache_bump)(Db&, std::string_view host) = nullptr;
  std::uint64_t (*cache_generation_sum)(Db&) = nullptr;
};

class Dispatcher {
 public:
  // With a generation shared by the pool (and page_cache_ms > 0), visitors'
  // pages are served from a PageCache while nothing changed.
  // With the pool's db_health, a database found down by one worker is down
  // for all (see DbHealth).
  Dispatcher(const Config& config, std::vector<Route> routes, Pipeline pipeline,
             SharedGeneration* generation = nullptr, DbHealth* db_health = nullptr);
  http::Response handle(http::Request& req);
  // Between requests: checks whether a down database is back, when it is
  // this worker's turn (no client waits for that check).
  void after_response() { db_.probe_if_due(); }

 private:
  http::Response run(Context& ctx, const Route& route);
  void finish(Context& ctx, http::Response& res);
  http::Response unavailable_response(Context& ctx, std::string_view reason);
  // Page cache across hosts: reads the hosts' generation sum when due.
  void sync_cache_with_other_hosts();
  void record_change_for_other_hosts();

  // What a 503 for an unavailable database tells clients: the database is
  // usually back within seconds (a restart), and workers notice at once.
  static constexpr int kRetryAfterSeconds = 2;
  // A unit of work that lost to a concurrent one (1213, 1205) runs at most
  // this many times in all, after a short random pause each time (8: 32 writers
  // of one row through two Galera nodes lost 4 in a row about once in 100).
  static constexpr int kMaxAttempts = 8;

  const Config& config_;
  Router router_;
  View view_;
  Db db_;
  Pipeline pipeline_;
  std::optional<PageCache> cache_;
  std::string cache_host_;  // this host's row in page_cache_generations
  LogThrottle conflict_log_;
  LogThrottle cache_log_;
};

// Renders the error page for status (HTML in the layout, or JSON with the
// message when there is one).
http::Response error_response(Context& ctx, int status, std::string_view message = "");

}  // namespace inkwell::core
