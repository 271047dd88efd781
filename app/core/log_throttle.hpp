// LogThrottle: a line about a repeated event (the database is unavailable)
// at most once a second, carrying how many events it stands for. Its state
// is two lock-free atomics, so one instance in shared memory throttles every
// worker of the pool together.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>

namespace inkwell::core {

class LogThrottle {
 public:
  static constexpr std::int64_t kIntervalMs = 1000;

  // Counts one event at now_ms (a monotonic clock). Returns how many events
  // the line due now reports (this one included), or 0 when no line is due.
  std::uint64_t record(std::int64_t now_ms) {
    pending_.fetch_add(1, std::memory_order_relaxed);
    std::int64_t last = last_ms_.load(std::memory_order_relaxed);
    if (now_ms - last < kIntervalMs) return 0;
    // Only the caller that moves last_ms_ writes the line.
    if (!last_ms_.compare_exchange_strong(last, now_ms, std::memory_order_acq_rel)) return 0;
    return pending_.exchange(0, std::memory_order_acq_rel);
  }

 private:
  std::atomic<std::int64_t> last_ms_{std::numeric_limits<std::int64_t>::min() / 2};
  std::atomic<std::uint64_t> pending_{0};
};

}  // namespace inkwell::core
