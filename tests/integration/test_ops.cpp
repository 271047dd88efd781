// Operators' probes through nginx: /healthz (200/503 JSON, stateless, not
// in nginx's access log) and /metrics (Prometheus text, this host only).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

// The value of the series named exactly `series`, or -1.
double series_value(const std::string& text, const std::string& series) {
  std::size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

// On the cluster the counters of /metrics are each host's own, and nginx
// spreads the requests over both hosts: host 2's pool is stopped meanwhile,
// so that all of them go to host 1 (nginx skips a pool that refuses).
class OnlyHostOne {
 public:
  OnlyHostOne() {
    if (cluster_) REQUIRE(pool(2, "stop"));
  }
  ~OnlyHostOne() {
    if (cluster_) CHECK(pool(2, "start"));
  }
  OnlyHostOne(const OnlyHostOne&) = delete;
  OnlyHostOne& operator=(const OnlyHostOne&) = delete;

 private:
  static bool pool(int host, const char* action) {
    int status = -1;
    run("tests/stack/cluster.sh host " + std::to_string(host) + " pool " + action +
            " >/dev/null 2>&1",
        &status);
    return status == 0;
  }
  bool cluster_ = stack_name() == "cluster";
};

std::string latest_migration() {
  return sql_value("SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1");
}

}  // namespace

TEST_CASE("healthz: 200 JSON with the database, migrations and outbox figures") {
  Client c;
  Reply r = c.get("/healthz");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type").find("application/json") == 0);
  CHECK(r.header("cache-control") == "no-store");
  CHECK(r.header("set-cookie").empty());
  auto j = nlohmann::json::parse(r.body);
  CHECK(j["status"] == "ok");
  CHECK(j["database"]["reachable"] == true);
  CHECK(j["migrations"]["current"] == true);
  CHECK(j["migrations"]["pending"].empty());
  CHECK(j["migrations"]["known"].get<long>() ==
        sql_count("SELECT COUNT(*) FROM schema_migrations"));
  CHECK(j["outbox"]["backlog"].get<long>() >= 0);  // the mailer works meanwhile
}

TEST_CASE("healthz: a migration the database lacks makes it 503, and the outbox's age shows") {
  const std::string name = latest_migration();
  REQUIRE(!name.empty());
  // A message waiting for ten minutes (due far in the future so the mailer
  // leaves it alone during the test).
  sql("INSERT INTO mail_outbox (recipient, subject, body_text, body_html, created_at,"
      " next_attempt_at) VALUES ('healthz@example.com', 'probe', 't', 'h',"
      " NOW(6) - INTERVAL 600 SECOND, NOW(6) + INTERVAL 1 DAY)");
  sql("DELETE FROM schema_migrations WHERE name = " + sql_quote(name));
  Client c;
  Reply r = c.get("/healthz");
  sql("INSERT INTO schema_migrations (name) VALUES (" + sql_quote(name) + ")");
  sql("DELETE FROM mail_outbox WHERE recipient = 'healthz@example.com'");
  CHECK(r.status == 503);
  CHECK(r.header("retry-after") == "2");
  auto j = nlohmann::json::parse(r.body);
  CHECK(j["status"] == "unavailable");
  CHECK(j["migrations"]["current"] == false);
  REQUIRE(j["migrations"]["pending"].size() == 1);
  CHECK(j["migrations"]["pending"][0] == name);
  CHECK(j["outbox"]["oldest_unsent_seconds"].get<long>() >= 600);
  // Restored: healthy again.
  CHECK(c.get("/healthz").status == 200);
}

TEST_CASE("healthz: not logged per call by nginx nor by the pool") {
  const std::string dir = nginx_log_dir() + "/";
  Client c;
  const std::string marker = "/healthz?probe=" + unique("hz");
  REQUIRE(c.get(marker).status == 200);
  const std::string other = "/auth/login?probe=" + unique("hz");
  REQUIRE(c.get(other).status == 200);
  // nginx buffers its access log (flush=5s): wait for the other request's line.
  std::string access;
  for (int i = 0; i < 80 && access.find(other.substr(11)) == std::string::npos; ++i) {
    run("sleep 0.1");
    access = run("cat " + shell_quote(dir + "nginx-access.log"));
  }
  REQUIRE(access.find(other.substr(11)) != std::string::npos);
  CHECK(access.find(marker.substr(9)) == std::string::npos);
  CHECK(run("cat " + pool_logs() + " | grep -c 'GET /healthz 200 ' || true") == "0\n");
}

TEST_CASE("metrics: Prometheus text for this host, counting requests, logins and the outbox") {
  OnlyHostOne one_host;
  Client local("127.0.0.1");
  Reply first = local.get("/metrics");
  REQUIRE(first.status == 200);
  CHECK(first.header("content-type").find("text/plain; version=0.0.4") == 0);
  const std::string about = "inkwell_http_requests_total{route=\"main.user\",status=\"404\"}";
  double before = std::max(0.0, series_value(first.body, about));
  double failures_before = series_value(first.body, "inkwell_login_failures_total");
  REQUIRE(failures_before >= 0);

  Client c;
  for (int i = 0; i < 3; ++i) CHECK(c.get("/user/" + unique("nobody")).status == 404);
  CHECK(login(c, unique("nobody") + "@example.com", "wrong").status == 200);

  Reply second = local.get("/metrics");
  REQUIRE(second.status == 200);
  CHECK(series_value(second.body, about) == before + 3);
  CHECK(series_value(second.body, "inkwell_login_failures_total") == failures_before + 1);
  CHECK(series_value(second.body, "inkwell_database_up") == 1);
  CHECK(series_value(second.body, "inkwell_outbox_messages{state=\"pending\"}") >= 0);
  CHECK(series_value(second.body,
                     "inkwell_http_request_duration_seconds_count{route=\"main.user\"}") >=
        before + 3);
  CHECK(second.body.find("# TYPE inkwell_http_request_duration_seconds histogram") !=
        std::string::npos);
  CHECK(second.body.find("inkwell_db_time_seconds_bucket{le=\"+Inf\"}") != std::string::npos);
  CHECK(series_value(second.body, "inkwell_worker_restarts_total") >= 0);
  CHECK(series_value(second.body, "inkwell_page_cache_hits_total") >= 0);
}

TEST_CASE("metrics: refused to other hosts, by nginx and by the pool") {
  Client other;  // 127.1.x.y: not this host's own address
  CHECK(other.get("/metrics").status == 403);
  // Through a trusted proxy for a remote client: nginx sees 127.0.0.2 and
  // refuses too; the pool would answer 404 (it checks the client address).
  Client proxied("127.0.0.2");
  proxied.add_header("X-Forwarded-For: 198.51.100.7");
  CHECK(proxied.get("/metrics").status == 403);
}
