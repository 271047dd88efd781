// LeaseKeeper: keeps the claim lease of the messages a mailer is working on
// from running out, from a thread of its own with its own database
// connection, because the sending thread may sit in one SMTP session for
// longer than a lease. A mailer that dies stops renewing: its messages are
// due again within one lease.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <stop_token>
#include <thread>

#include "core/config.hpp"

namespace inkwell::mailer {

class LeaseKeeper {
 public:
  LeaseKeeper(const core::Config& config, int lease_seconds);
  ~LeaseKeeper();  // stops renewing and joins the thread
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // Renews id's lease from now on.
  void hold(std::int64_t id);
  // Stops renewing id. Returns once no renewal of it is running, so the
  // caller may then record the outcome (a renewal would overwrite its
  // next_attempt_at).
  void drop(std::int64_t id);

 private:
  void run(std::stop_token stop);

  const core::Config& config_;
  const int lease_seconds_;
  std::mutex mutex_;  // ids_, and held during each round of renewals
  std::condition_variable_any wake_;
  std::set<std::int64_t> ids_;
  std::jthread thread_;  // last: joined before anything above is destroyed
};

}  // namespace inkwell::mailer
