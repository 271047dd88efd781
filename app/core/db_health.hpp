// DbHealth: whether the database answers, as seen by every worker of the
// pool (it lives in shared memory, created before the fork). After a failure
// (cannot connect, or no answer within INKWELL_DB_TIMEOUT_MS) the database is
// "down": requests get their 503 at once instead of each waiting out the
// timeout, and one worker at a time, at most every half second, checks
// whether it is back (the probe; see Db). The first success makes it "up"
// again. Times are milliseconds of a monotonic clock, which all processes of
// the machine share.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/log_throttle.hpp"

namespace inkwell::core {

class DbHealth {
 public:
  // probe_ms: how long one probe may hold its turn (the time a connection
  // attempt can take, plus a margin); then another worker may try.
  explicit DbHealth(std::int64_t probe_ms) : probe_ms_(probe_ms) {}

  // After a failed probe, the next one waits this long: the database is
  // noticed back within about this gap (plus a request).
  static constexpr std::int64_t kProbeGapMs = 500;

  // True when process `pid` may use the database now: it is up, or this
  // process holds (or just took) the turn to probe it.
  bool may_try(std::int64_t now_ms, int pid);
  // The database failed `pid`: it is down. slow: the failure took the
  // whole timeout (a hung server), not an instant refusal.
  void failed(std::int64_t now_ms, int pid, bool slow);
  // True when the last failure took the whole timeout: a check whether the
  // database is back would keep a client waiting as long.
  bool last_failure_slow() const { return slow_.load(std::memory_order_acquire); }
  // A query succeeded: the database is up.
  void succeeded() {
    if (down_since_.load(std::memory_order_relaxed) != 0) mark_up();
  }
  bool down() const { return down_since_.load(std::memory_order_acquire) != 0; }

  // The one throttle of the "database unavailable" log line.
  LogThrottle& unavailable_log() { return unavailable_log_; }

  // The current monotonic time in milliseconds.
  static std::int64_t now_ms();

 private:
  void mark_up();

  const std::int64_t probe_ms_;
  std::atomic<std::int64_t> down_since_{0};  // 0 while up
  std::atomic<std::int64_t> probe_until_{0};
  std::atomic<int> prober_{0};
  std::atomic<bool> slow_{false};
  LogThrottle unavailable_log_;
};

// A DbHealth in memory shared by the processes forked after its creation.
class SharedDbHealth {
 public:
  explicit SharedDbHealth(std::int64_t probe_ms);  // maps the shared page; create before forking
  ~SharedDbHealth();
  SharedDbHealth(const SharedDbHealth&) = delete;
  SharedDbHealth& operator=(const SharedDbHealth&) = delete;

  DbHealth& get() { return *value_; }

 private:
  DbHealth* value_;
};

}  // namespace inkwell::core
