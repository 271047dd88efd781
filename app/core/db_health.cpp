#include "core/db_health.hpp"

#include <sys/mman.h>

#include <chrono>
#include <new>
#include <stdexcept>

namespace inkwell::core {

bool DbHealth::may_try(std::int64_t now_ms, int pid) {
  if (!down()) return true;
  std::int64_t until = probe_until_.load(std::memory_order_acquire);
  if (until > now_ms) return prober_.load(std::memory_order_acquire) == pid;
  // The turn is free (or its holder overran it): take it, one winner only.
  if (!probe_until_.compare_exchange_strong(until, now_ms + probe_ms_, std::memory_order_acq_rel)) {
    return false;
  }
  prober_.store(pid, std::memory_order_release);
  return true;
}

void DbHealth::failed(std::int64_t now_ms, int pid, bool slow) {
  slow_.store(slow, std::memory_order_release);
  std::int64_t up = 0;
  down_since_.compare_exchange_strong(up, now_ms == 0 ? 1 : now_ms, std::memory_order_acq_rel);
  // The prober's try is over: the next probe comes a short gap later, so
  // that requests meanwhile get their 503 at once rather than each waiting
  // out a timeout. A worker that failed on an older connection leaves a
  // running probe alone.
  if (prober_.load(std::memory_order_acquire) == pid) {
    probe_until_.store(now_ms + kProbeGapMs, std::memory_order_release);
    prober_.store(0, std::memory_order_release);
  }
}

void DbHealth::mark_up() {
  down_since_.store(0, std::memory_order_release);
  probe_until_.store(0, std::memory_order_release);
  prober_.store(0, std::memory_order_release);
}

std::int64_t DbHealth::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

SharedDbHealth::SharedDbHealth(std::int64_t probe_ms) {
  void* p =
      mmap(nullptr, sizeof(DbHealth), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::runtime_error("cannot map the shared database health");
  value_ = new (p) DbHealth(probe_ms);
}

SharedDbHealth::~SharedDbHealth() {
  value_->~DbHealth();
  munmap(value_, sizeof(DbHealth));
}

}  // namespace inkwell::core
