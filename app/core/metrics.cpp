#include "core/metrics.hpp"

#include <sys/mman.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <new>

namespace inkwell::core::metrics {
namespace {

// Upper bounds of the latency buckets, in microseconds (+Inf is implicit).
constexpr std::array<std::int64_t, 13> kBucketsUs = {1000,    2500,    5000,    10000,  25000,
                                                     50000,   100000,  250000,  500000, 1000000,
                                                     2500000, 5000000, 10000000};
constexpr int kBuckets = static_cast<int>(kBucketsUs.size()) + 1;
// After the routes: no route matched (or beyond kMaxRoutes), then the page cache.
constexpr int kOtherSlot = kMaxRoutes, kCacheSlot = kMaxRoutes + 1, kRouteSlots = kMaxRoutes + 2;
constexpr int kMinStatus = 100, kStatuses = 500;

using Counter = std::atomic<std::uint64_t>;
static_assert(Counter::is_always_lock_free, "counters must be lock-free to be shared");

struct Shared {
  Counter requests[kRouteSlots][kStatuses];
  Counter latency[kRouteSlots][kBuckets];  // per bucket, not cumulative
  Counter latency_sum_us[kRouteSlots];
  Counter db_latency[kBuckets];
  Counter db_sum_us;
  Counter page_cache_hits;
  Counter worker_restarts;
  Counter login_failures;
  Counter login_throttled;
};

Shared* g_shared = nullptr;        // set once, before fork; read-only afterwards
std::int64_t g_request_db_us = 0;  // this process's request in hand

void add(Counter& c, std::uint64_t n = 1) {
  c.fetch_add(n, std::memory_order_relaxed);
}

std::uint64_t get(const Counter& c) {
  return c.load(std::memory_order_relaxed);
}

int bucket_of(std::int64_t us) {
  int i = 0;
  while (i < static_cast<int>(kBucketsUs.size()) && us > kBucketsUs[static_cast<std::size_t>(i)])
    ++i;
  return i;
}

std::string seconds(std::int64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", static_cast<double>(us) / 1e6);
  return buf;
}

// Route names are the table's ("main.index"): no quote, backslash or line
// break to escape, but the rule of the format is kept anyway.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void head(std::string& out, const char* name, const char* type, const char* help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
  out.append(name).append(" ").append(type).append("\n");
}

void histogram(std::string& out, const char* name, const std::string& labels,
               const Counter* buckets, std::uint64_t sum_us) {
  std::uint64_t cumulative = 0;
  const std::string sep = labels.empty() ? "" : ",";
  for (int i = 0; i < kBuckets; ++i) {
    cumulative += get(buckets[i]);
    std::string le = i < static_cast<int>(kBucketsUs.size())
                         ? seconds(kBucketsUs[static_cast<std::size_t>(i)])
                         : "+Inf";
    out.append(name).append("_bucket{").append(labels).append(sep).append("le=\"").append(le);
    out.append("\"} ").append(std::to_string(cumulative)).append("\n");
  }
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out.append(name).append("_sum").append(braces).append(" ").append(
      seconds(static_cast<std::int64_t>(sum_us)));
  out.append("\n").append(name).append("_count").append(braces).append(" ");
  out.append(std::to_string(cumulative)).append("\n");
}

}  // namespace

void init_shared() {
  if (g_shared) return;
  void* p =
      mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return;  // no metrics, never no service
  g_shared = new (p) Shared();  // anonymous pages are zero: every counter starts at 0
}

bool enabled() {
  return g_shared != nullptr;
}

void record_request(int route_index, int status, std::int64_t us, std::int64_t db_us) {
  if (!g_shared) return;
  const int r = route_index >= 0 && route_index < kMaxRoutes ? route_index
                : route_index == kPageCacheRoute             ? kCacheSlot
                                                             : kOtherSlot;
  if (status >= kMinStatus && status < kMinStatus + kStatuses) {
    add(g_shared->requests[r][status - kMinStatus]);
  }
  add(g_shared->latency[r][bucket_of(us)]);
  add(g_shared->latency_sum_us[r], static_cast<std::uint64_t>(us < 0 ? 0 : us));
  add(g_shared->db_latency[bucket_of(db_us)]);
  add(g_shared->db_sum_us, static_cast<std::uint64_t>(db_us < 0 ? 0 : db_us));
}

void page_cache_hit() {
  if (g_shared) add(g_shared->page_cache_hits);
}
void worker_restart() {
  if (g_shared) add(g_shared->worker_restarts);
}
void login_failure() {
  if (g_shared) add(g_shared->login_failures);
}
void login_throttled() {
  if (g_shared) add(g_shared->login_throttled);
}

void add_db_time(std::int64_t us) {
  g_request_db_us += us;
}

std::int64_t take_request_db_us() {
  const std::int64_t us = g_request_db_us;
  g_request_db_us = 0;
  return us;
}

std::string render(const std::vector<std::string_view>& route_names, const OutboxFigures* outbox) {
  std::string out;
  out.reserve(16384);
  auto route_label = [&route_names](int r) {
    std::string name = r == kCacheSlot ? "page_cache" : "other";
    if (r < static_cast<int>(route_names.size()) && r < kMaxRoutes) {
      name = label(route_names[static_cast<std::size_t>(r)]);
    }
    return "route=\"" + name + "\"";
  };
  if (g_shared) {
    head(out, "inkwell_http_requests_total", "counter", "Requests answered, by route and status.");
    for (int r = 0; r < kRouteSlots; ++r) {
      for (int s = 0; s < kStatuses; ++s) {
        std::uint64_t n = get(g_shared->requests[r][s]);
        if (n == 0) continue;
        out.append("inkwell_http_requests_total{").append(route_label(r)).append(",status=\"");
        out.append(std::to_string(kMinStatus + s)).append("\"} ").append(std::to_string(n));
        out.append("\n");
      }
    }
    head(out, "inkwell_http_request_duration_seconds", "histogram",
         "Time from the request read to the response written, by route.");
    for (int r = 0; r < kRouteSlots; ++r) {
      std::uint64_t any = 0;
      for (int b = 0; b < kBuckets; ++b) any += get(g_shared->latency[r][b]);
      if (any == 0) continue;
      histogram(out, "inkwell_http_request_duration_seconds", route_label(r), g_shared->latency[r],
                get(g_shared->latency_sum_us[r]));
    }
    head(out, "inkwell_db_time_seconds", "histogram", "Time spent in database calls per request.");
    histogram(out, "inkwell_db_time_seconds", "", g_shared->db_latency, get(g_shared->db_sum_us));
    head(out, "inkwell_page_cache_hits_total", "counter", "Visitors' pages served from memory.");
    out.append("inkwell_page_cache_hits_total ")
        .append(std::to_string(get(g_shared->page_cache_hits)))
        .append("\n");
    head(out, "inkwell_worker_restarts_total", "counter",
         "Workers that died unexpectedly and were replaced.");
    out.append("inkwell_worker_restarts_total ")
        .append(std::to_string(get(g_shared->worker_restarts)))
        .append("\n");
    head(out, "inkwell_login_failures_total", "counter", "Failed logins (form and API).");
    out.append("inkwell_login_failures_total ")
        .append(std::to_string(get(g_shared->login_failures)))
        .append("\n");
    head(out, "inkwell_login_throttled_total", "counter", "Logins refused by throttling.");
    out.append("inkwell_login_throttled_total ")
        .append(std::to_string(get(g_shared->login_throttled)))
        .append("\n");
  }
  head(out, "inkwell_database_up", "gauge", "1 when the database answered this scrape.");
  out.append("inkwell_database_up ").append(outbox ? "1" : "0").append("\n");
  if (outbox) {
    head(out, "inkwell_outbox_messages", "gauge", "Messages in the mail outbox, by state.");
    out.append("inkwell_outbox_messages{state=\"pending\"} ")
        .append(std::to_string(outbox->pending))
        .append("\n");
    out.append("inkwell_outbox_messages{state=\"failed\"} ")
        .append(std::to_string(outbox->failed))
        .append("\n");
    out.append("inkwell_outbox_messages{state=\"sent\"} ")
        .append(std::to_string(outbox->sent))
        .append("\n");
    head(out, "inkwell_outbox_oldest_unsent_age_seconds", "gauge",
         "Age of the oldest message waiting to be sent (0 when none waits).");
    out.append("inkwell_outbox_oldest_unsent_age_seconds ")
        .append(
            std::to_string(outbox->oldest_unsent_seconds < 0 ? 0 : outbox->oldest_unsent_seconds))
        .append("\n");
  }
  return out;
}

}  // namespace inkwell::core::metrics
