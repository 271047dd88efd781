// core::metrics: counters shared across fork, rendered as Prometheus text.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "core/metrics.hpp"

namespace metrics = inkwell::core::metrics;

namespace {

// The value of the series named exactly `series` (name and labels), or -1.
long long value_of(const std::string& text, const std::string& series) {
  std::size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + series.size() + 2));
}

}  // namespace

TEST_CASE("metrics counted in forked children add up in the parent, rendered as Prometheus text") {
  metrics::init_shared();
  REQUIRE(metrics::enabled());
  const std::vector<std::string_view> routes{"main.index", "main.user"};
  std::string before = metrics::render(routes, nullptr);
  long long index_200 =
      value_of(before, "inkwell_http_requests_total{route=\"main.index\",status=\"200\"}");
  if (index_200 < 0) index_200 = 0;
  long long restarts = value_of(before, "inkwell_worker_restarts_total");

  for (int child = 0; child < 2; ++child) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      metrics::record_request(0, 200, 3000, 1000);  // 3 ms, 1 ms in the database
      metrics::record_request(1, 404, 2000000, 0);  // 2 s
      metrics::record_request(-1, 404, 100, 0);     // no route
      metrics::record_request(metrics::kPageCacheRoute, 200, 50, 0);
      metrics::worker_restart();
      metrics::login_failure();
      metrics::login_throttled();
      metrics::page_cache_hit();
      _exit(0);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
  }
  metrics::OutboxFigures outbox{3, 1, 40, 12};
  std::string text = metrics::render(routes, &outbox);
  CHECK(value_of(text, "inkwell_http_requests_total{route=\"main.index\",status=\"200\"}") ==
        index_200 + 2);
  CHECK(value_of(text, "inkwell_http_requests_total{route=\"main.user\",status=\"404\"}") >= 2);
  CHECK(value_of(text, "inkwell_http_requests_total{route=\"other\",status=\"404\"}") >= 2);
  CHECK(value_of(text, "inkwell_http_requests_total{route=\"page_cache\",status=\"200\"}") >= 2);
  CHECK(value_of(text, "inkwell_worker_restarts_total") == restarts + 2);
  // Histogram buckets are cumulative: 2 s is above 1 s and within 2.5 s.
  CHECK(value_of(text,
                 "inkwell_http_request_duration_seconds_bucket{route=\"main.user\",le=\"1\"}") ==
        0);
  CHECK(value_of(text,
                 "inkwell_http_request_duration_seconds_bucket{route=\"main.user\",le=\"2.5\"}") ==
        2);
  CHECK(value_of(text,
                 "inkwell_http_request_duration_seconds_bucket{route=\"main.user\",le=\"+Inf\"}") ==
        2);
  CHECK(value_of(text, "inkwell_http_request_duration_seconds_count{route=\"main.user\"}") == 2);
  CHECK(text.find("inkwell_http_request_duration_seconds_sum{route=\"main.user\"} 4\n") !=
        std::string::npos);
  CHECK(text.find("# TYPE inkwell_db_time_seconds histogram\n") != std::string::npos);
  CHECK(value_of(text, "inkwell_outbox_messages{state=\"pending\"}") == 3);
  CHECK(value_of(text, "inkwell_outbox_messages{state=\"failed\"}") == 1);
  CHECK(value_of(text, "inkwell_outbox_oldest_unsent_age_seconds") == 12);
  CHECK(value_of(text, "inkwell_database_up") == 1);
  // Without the database: its gauge says so, the outbox's are left out.
  std::string down = metrics::render(routes, nullptr);
  CHECK(value_of(down, "inkwell_database_up") == 0);
  CHECK(down.find("inkwell_outbox_messages") == std::string::npos);
  // Every line is a comment or "name{labels} value".
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    REQUIRE(end != std::string::npos);
    std::string line = text.substr(start, end - start);
    CAPTURE(line);
    CHECK((line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0 ||
           line.rfind("inkwell_", 0) == 0));
    start = end + 1;
  }
}

TEST_CASE("a request's database time is taken once") {
  metrics::take_request_db_us();
  metrics::add_db_time(120);
  metrics::add_db_time(30);
  CHECK(metrics::take_request_db_us() == 150);
  CHECK(metrics::take_request_db_us() == 0);
}
