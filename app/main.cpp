// inkwell-fcgi: reads the configuration, then runs the prefork pool; each
// worker prepares its router, templates and database connection after fork.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

#include "auth/handlers.hpp"
#include "auth/sessions.hpp"
#include "core/config.hpp"
#include "core/dispatcher.hpp"
#include "core/fcgi.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "core/pool.hpp"
#include "models/migrations.hpp"
#include "models/page_cache_generations.hpp"
#include "routes.hpp"

namespace {

// This program's path, for the re-exec on SIGHUP: the file at that path then
// (a new binary after an upgrade), not necessarily the one running now.
std::string own_path() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string path = ec ? std::string() : p.string();
  const std::string deleted = " (deleted)";  // the running file was replaced
  if (path.size() > deleted.size() && path.ends_with(deleted))
    path.resize(path.size() - deleted.size());
  return path;
}

}  // namespace

// inkwell-fcgi [--check-config]: with --check-config, only reads and checks
// the configuration (exit 0, or 2 with the message): the pool runs it before
// re-executing itself on SIGHUP.
int main(int argc, char** argv) {
  using namespace inkwell;
  const bool check_only = argc > 1 && std::string_view(argv[1]) == "--check-config";
  core::Config config;
  try {
    config = core::load_config_from_environment();
  } catch (const core::ConfigError& e) {
    core::log("inkwell-fcgi: configuration error: ", e.what());
    return 2;
  }
  if (check_only) return 0;
  core::PoolOptions options;
  options.socket_path = config.socket;
  options.socket_mode = config.socket_mode;
  options.workers = config.workers;
  options.exec_path = own_path();
  if (const char* env_file = std::getenv("INKWELL_ENV_FILE")) options.env_file = env_file;
  // The pool starts whatever the database's state: requests get 503 until it
  // answers. Say once, clearly, why it does not. Migrations are not applied
  // here (the app's database user has no DDL rights; `inkwell migrate` runs
  // once per deploy): pending ones are only reported, and /healthz answers
  // 503 until they are applied.
  options.on_started = [&config] {
    std::string problem = core::check_database(config);
    if (!problem.empty()) {
      core::log("pool: DATABASE UNAVAILABLE AT START: ", problem,
                "; every request gets 503 until it answers");
      return;
    }
    core::log("pool: the database answers");
    try {
      core::Db db(config);
      auto pending = models::pending_migrations(db, models::migration_files(config.migrations_dir));
      if (!pending.empty()) {
        core::log("pool: MIGRATIONS PENDING: ", pending.size(), " not applied (first ",
                  pending.front(), "); run `inkwell migrate`; /healthz answers 503 until then");
      }
    } catch (const std::exception& e) {
      core::log("pool: could not check the migrations: ", e.what());
    }
  };
  // Shared by every worker: the counters of /metrics.
  core::metrics::init_shared();
  // Shared by every worker: bumped by any request that changed data.
  core::SharedGeneration generation;
  // Shared by every worker: whether the database answers (see DbHealth).
  core::SharedDbHealth db_health(config.db_timeout_seconds() * 1000 + 1000);
  return core::run_pool(options, [&config, &generation, &db_health](int listen_fd) {
    core::Pipeline pipeline;
    pipeline.identify = auth::identify;
    pipeline.gate = auth::unconfirmed_gate;
    pipeline.login_redirect = auth::login_redirect;
    pipeline.authenticate_api = auth::authenticate_api;
    pipeline.cache_bump = models::bump_page_cache_generation;
    pipeline.cache_generation_sum = models::page_cache_generation_sum;
    core::Dispatcher dispatcher(config, routes(), pipeline, &generation, &db_health.get());
    return core::serve_fastcgi(
        listen_fd, config.trusted_proxies,
        [&dispatcher](http::Request& req) { return dispatcher.handle(req); },
        [&dispatcher] { dispatcher.after_response(); });
  });
}
