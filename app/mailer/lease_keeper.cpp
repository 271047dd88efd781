#include "mailer/lease_keeper.hpp"

#include <mysql_driver.h>

#include <chrono>
#include <exception>
#include <string>

#include "core/db.hpp"
#include "core/log.hpp"
#include "mailer/retry_policy.hpp"
#include "models/outbox.hpp"

namespace inkwell::mailer {

LeaseKeeper::LeaseKeeper(const core::Config& config, int lease_seconds)
    : config_(config), lease_seconds_(lease_seconds) {
  // The connector's driver is created on first use, without a lock: create
  // it here, before the thread exists, not in a race with the main thread.
  sql::mysql::get_mysql_driver_instance();
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

LeaseKeeper::~LeaseKeeper() {
  thread_.request_stop();
  wake_.notify_all();
}

void LeaseKeeper::hold(std::int64_t id) {
  std::lock_guard lock(mutex_);
  ids_.insert(id);
}

void LeaseKeeper::drop(std::int64_t id) {
  std::lock_guard lock(mutex_);
  ids_.erase(id);
}

void LeaseKeeper::run(std::stop_token stop) {
  // The connector wants each thread that uses it announced.
  sql::mysql::get_mysql_driver_instance()->threadInit();
  {
    core::Db db(config_);
    const auto every = std::chrono::seconds(lease_renew_every_seconds(lease_seconds_));
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
      wake_.wait_for(lock, stop, every, [] { return false; });
      if (stop.stop_requested()) break;
      for (std::int64_t id : ids_) {
        try {
          models::renew_mail_lease(db, id, lease_seconds_);
        } catch (const std::exception& e) {
          // The next round tries again; two may fail before the lease ends.
          core::log("mailer: cannot renew the lease of message ", id, ": ", e.what());
          db.reset();
          break;
        }
      }
    }
  }
  sql::mysql::get_mysql_driver_instance()->threadEnd();
}

}  // namespace inkwell::mailer
