// The page cache: a worker keeps the pages it served to visitors (GET, no
// session) and answers the same URL from memory while nothing has changed.
// "Changed" is a generation number shared by every worker of the pool: any
// request that wrote to the database bumps it. Entries also expire after a
// short age, for changes made outside the pool (CLI, SQL scripts).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/http.hpp"

namespace inkwell::core {

// A counter in memory shared by the processes forked after its creation.
class SharedGeneration {
 public:
  SharedGeneration();  // maps the shared page; create before forking
  ~SharedGeneration();
  SharedGeneration(const SharedGeneration&) = delete;
  SharedGeneration& operator=(const SharedGeneration&) = delete;

  std::uint64_t current() const { return value_->load(std::memory_order_acquire); }
  void bump() { value_->fetch_add(1, std::memory_order_acq_rel); }

 private:
  std::atomic<std::uint64_t>* value_;
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
