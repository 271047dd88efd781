#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "core/dispatcher.hpp"
#include "core/session.hpp"

namespace {

namespace core = inkwell::core;
namespace http = inkwell::http;

// What the handler saw on each attempt.
struct Seen {
  int attempts = 0;
  bool second_had_visitor_csrf = false;
  bool second_had_token_flag = false;
  bool second_had_user = false;
  bool second_had_cookies = false;
  bool second_had_flashes = false;
};
Seen g_seen;

// First attempt: fills every part of the Context a handler may touch, then
// the database connection is lost. Second attempt: reports what it inherited.
http::Response flaky_read(core::Context& ctx) {
  if (++g_seen.attempts <= 1) {
    (void)ctx.csrf_token();  // a visitor's CSRF value and its cookie
    ctx.authenticated_by_token = true;
    ctx.user = core::Identity{7, "u", "u@example.com", 1, true};
    ctx.session_id = "sid";
    ctx.flash("from the failed attempt");
    ctx.shareable = false;
    throw sql::SQLException("Lost connection to server during query", "HY000", 2013);
  }
  g_seen.second_had_visitor_csrf = !ctx.visitor_csrf.empty();
  g_seen.second_had_token_flag = ctx.authenticated_by_token;
  g_seen.second_had_user = ctx.user.has_value() || !ctx.session_id.empty();
  g_seen.second_had_cookies = !ctx.cookies.empty();
  g_seen.second_had_flashes = !ctx.flashes_out.empty();
  return http::Response::html("replayed");
}

// An empty views directory: error pages fall back to plain text.
std::string empty_views_dir() {
  static std::string dir = [] {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "inkwell-replay-views-XXXXXX").string();
    return std::string(mkdtemp(tmpl.data()));
  }();
  return dir;
}

struct Fixture {
  core::Config config;
  core::Dispatcher dispatcher;
  Fixture()
      : config(make_config()),
        dispatcher(config,
                   {{http::GET, "/replay", flaky_read, "replay"},
                    {http::POST, "/api/replay", flaky_read, "api.replay"}},
                   {}) {
    g_seen = {};
  }
  static core::Config make_config() {
    core::Config c;
    c.secret_key = "unit-test-secret-key";
    c.views_dir = empty_views_dir();
    c.page_cache_ms = 0;
    return c;
  }
  http::Response request(http::Method method, const char* name) {
    http::Request req;
    req.method = method;
    req.method_name = name;
    req.path = "/replay";
    return dispatcher.handle(req);
  }
};

bool sets_cookie(const http::Response& res, std::string_view name) {
  for (const auto& [header, value] : res.headers) {
    if (header == "Set-Cookie" && value.rfind(std::string(name) + "=", 0) == 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("dispatcher: a read replayed after a lost connection starts from a fresh Context") {
  Fixture f;
  http::Response res = f.request(http::GET, "GET");
  CHECK(g_seen.attempts == 2);
  CHECK(res.status == 200);
  CHECK(res.body == "replayed");
  CHECK_FALSE(g_seen.second_had_visitor_csrf);
  CHECK_FALSE(g_seen.second_had_token_flag);
  CHECK_FALSE(g_seen.second_had_user);
  CHECK_FALSE(g_seen.second_had_cookies);
  CHECK_FALSE(g_seen.second_had_flashes);
  // Nothing of the failed attempt reaches the client either.
  CHECK_FALSE(sets_cookie(res, core::kCsrfCookie));
  CHECK_FALSE(sets_cookie(res, core::kFlashCookie));
}

TEST_CASE(
    "dispatcher: a write that lost its connection before committing anything runs once more") {
  Fixture f;
  http::Request req;
  req.method = http::POST;
  req.method_name = "POST";
  req.path = "/api/replay";  // the API: no CSRF check before the handler
  http::Response res = f.dispatcher.handle(req);
  CHECK(g_seen.attempts == 2);
  CHECK(res.status == 200);
  CHECK_FALSE(g_seen.second_had_user);
}

TEST_CASE("dispatcher: a connection lost twice is a 503 with Retry-After") {
  Fixture f;
  g_seen.attempts = -100;  // every attempt loses its connection
  http::Request req;
  req.method = http::POST;
  req.method_name = "POST";
  req.path = "/api/replay";
  http::Response res = f.dispatcher.handle(req);
  CHECK(g_seen.attempts == -98);
  CHECK(res.status == 503);
  bool retry_after = false;
  for (const auto& [header, value] : res.headers) retry_after |= header == "Retry-After";
  CHECK(retry_after);
}

namespace {

int g_conflicts_left = 0;
int g_conflict_attempts = 0;

// Loses to a concurrent unit of work (Galera: 1213 at COMMIT) while
// g_conflicts_left lasts; nothing of it is committed.
http::Response conflicting_write(core::Context&) {
  ++g_conflict_attempts;
  if (g_conflicts_left-- > 0) {
    throw sql::SQLException("Deadlock found when trying to get lock; try restarting transaction",
                            "40001", 1213);
  }
  return http::Response::html("applied");
}

struct ConflictFixture {
  core::Config config;
  core::Dispatcher dispatcher;
  ConflictFixture()
      : config(Fixture::make_config()),
        dispatcher(config, {{http::POST, "/api/conflict", conflicting_write, "api.conflict"}}, {}) {
    g_conflict_attempts = 0;
  }
  http::Response post() {
    http::Request req;
    req.method = http::POST;
    req.method_name = "POST";
    req.path = "/api/conflict";
    return dispatcher.handle(req);
  }
};

sql::SQLException error(int code) {
  return sql::SQLException("injected", "HY000", code);
}

}  // namespace

TEST_CASE("dispatcher: a write that lost a write-set conflict (1213) runs again, bounded") {
  ConflictFixture f;
  g_conflicts_left = 2;
  http::Response res = f.post();
  CHECK(g_conflict_attempts == 3);
  CHECK(res.status == 200);
  CHECK(res.body == "applied");

  g_conflicts_left = 100;  // it never wins: at most 8 attempts, then 503
  res = f.post();
  CHECK(g_conflict_attempts == 3 + 8);
  CHECK(res.status == 503);
}

TEST_CASE("may_replay: never a write that may have been applied") {
  using core::may_replay;
  // A lost connection: once, for a read or a write that committed nothing.
  CHECK(may_replay(error(2013), 0, 4, true, true));
  CHECK(may_replay(error(2006), 0, 4, false, true));
  CHECK_FALSE(may_replay(error(2013), 1, 4, true, true));
  // A write that committed something, or whose COMMIT got no answer.
  CHECK_FALSE(may_replay(error(2013), 0, 4, false, false));
  CHECK_FALSE(may_replay(error(1213), 0, 4, false, false));
  // Conflicts and lock wait timeouts: up to max_attempts in all.
  CHECK(may_replay(error(1213), 2, 4, false, true));
  CHECK(may_replay(error(1205), 0, 4, false, true));
  CHECK_FALSE(may_replay(error(1213), 3, 4, false, true));
  // A Galera node outside the primary component: another server may serve.
  CHECK(may_replay(error(core::kWsrepNotReady), 0, 4, false, true));
  // Other errors are not replayed.
  CHECK_FALSE(may_replay(error(1062), 0, 4, true, true));
  CHECK_FALSE(may_replay(error(1064), 0, 4, true, true));
}
