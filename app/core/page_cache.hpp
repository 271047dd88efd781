// The page cache: a worker keeps the pages it served to visitors (GET, no
// session) and answers the same URL from memory while nothing has changed.
// "Changed" is a generation number shared by every worker of the pool: any
// request that wrote to the database bumps it. Entries also expire after a
// short age, for changes made outside the pool (CLI, SQL scripts). With
// several app hosts, a writing request also bumps its host's row in the
// database and each pool reads the rows' sum at most every
// INKWELL_PAGE_CACHE_SYNC_MS: another host's write empties this host's cache
// within that bound (plus the replication delay, milliseconds).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/http.hpp"

namespace inkwell::core {

// A counter in memory shared by the processes forked after its creation.
// With several app hosts (INKWELL_PAGE_CACHE_SYNC_MS), it also keeps when
// the pool last read the hosts' generation rows and the sum it saw.
class SharedGeneration {
 public:
  SharedGeneration();  // maps the shared page; create before forking
  ~SharedGeneration();
  SharedGeneration(const SharedGeneration&) = delete;
  SharedGeneration& operator=(const SharedGeneration&) = delete;

  std::uint64_t current() const { return state_->value.load(std::memory_order_acquire); }
  void bump() { state_->value.fetch_add(1, std::memory_order_acq_rel); }

  // True for exactly one caller once interval_ms passed since the last
  // check: that caller reads the database's sum and reports it to
  // observe_remote().
  bool remote_check_due(std::int64_t now_ms, std::int64_t interval_ms);
  // A sum different from the last one seen means another host changed data:
  // every cached page is stale.
  void observe_remote(std::uint64_t sum);

 private:
  struct State {
    std::atomic<std::uint64_t> value{0};
    std::atomic<std::int64_t> last_check_ms{0};
    std::atomic<std::uint64_t> remote_sum{0};
  };
  State* state_;
};

class PageCache {
 public:
  PageCache(SharedGeneration& generation, std::chrono::milliseconds max_age,
            std::size_t max_entries = 64);

  // The stored page for key, if still current.
  const http::Response* find(const std::string& key) const;
  // Stores res for key as it was at generation (read when the request began).
  void store(const std::string& key, std::uint64_t generation, const http::Response& res);
  std::uint64_t generation() const { return generation_.current(); }
  void changed() { generation_.bump(); }
  SharedGeneration& shared() { return generation_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::uint64_t generation;
    Clock::time_point stored;
    http::Response response;
  };
  SharedGeneration& generation_;
  std::chrono::milliseconds max_age_;
  std::size_t max_entries_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace inkwell::core
