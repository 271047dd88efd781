#include "core/page_cache.hpp"

#include <sys/mman.h>

#include <new>
#include <stdexcept>

namespace inkwell::core {

SharedGeneration::SharedGeneration() {
  void* p = mmap(nullptr, sizeof(State), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::runtime_error("cannot map the shared page-cache generation");
  state_ = new (p) State();
}

SharedGeneration::~SharedGeneration() {
  state_->~State();
  munmap(state_, sizeof(State));
}

bool SharedGeneration::remote_check_due(std::int64_t now_ms, std::int64_t interval_ms) {
  std::int64_t last = state_->last_check_ms.load(std::memory_order_relaxed);
  if (now_ms - last < interval_ms) return false;
  return state_->last_check_ms.compare_exchange_strong(last, now_ms, std::memory_order_acq_rel);
}

void SharedGeneration::observe_remote(std::uint64_t sum) {
  if (state_->remote_sum.exchange(sum, std::memory_order_acq_rel) != sum) bump();
}

PageCache::PageCache(SharedGeneration& generation, std::chrono::milliseconds max_age,
                     std::size_t max_entries)
    : generation_(generation), max_age_(max_age), max_entries_(max_entries) {}

const http::Response* PageCache::find(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  const Entry& e = it->second;
  if (e.generation != generation_.current() || Clock::now() - e.stored > max_age_) return nullptr;
  return &e.response;
}

void PageCache::store(const std::string& key, std::uint64_t generation, const http::Response& res) {
  if (generation != generation_.current()) return;  // already stale
  if (entries_.size() >= max_entries_ && !entries_.count(key)) {
    // Drop what is stale; when everything is fresh, start over.
    std::uint64_t now_gen = generation_.current();
    auto now = Clock::now();
    std::erase_if(entries_, [&](const auto& kv) {
      return kv.second.generation != now_gen || now - kv.second.stored > max_age_;
    });
    if (entries_.size() >= max_entries_) entries_.clear();
  }
  entries_.insert_or_assign(key, Entry{generation, Clock::now(), res});
}

}  // namespace inkwell::core
