// inkwell-fcgi: reads the configuration, then runs the prefork pool; each
// worker prepares its router, templates and database connection after fork.
#include <iostream>

#include "auth/handlers.hpp"
#include "auth/sessions.hpp"
#include "core/config.hpp"
#include "core/dispatcher.hpp"
#include "core/fcgi.hpp"
#include "core/log.hpp"
#include "core/pool.hpp"
#include "models/page_cache_generations.hpp"
#include "routes.hpp"

int main() {
  using namespace inkwell;
  core::Config config;
  try {
    config = core::load_config_from_environment();
  } catch (const core::ConfigError& e) {
    core::log("inkwell-fcgi: configuration error: ", e.what());
    return 2;
  }
  core::PoolOptions options;
  options.socket_path = config.socket;
  options.socket_mode = config.socket_mode;
  options.workers = config.workers;
  // The pool starts whatever the database's state: requests get 503 until it
  // answers. Say once, clearly, why it does not.
  options.on_started = [&config] {
    std::string problem = core::check_database(config);
    if (problem.empty()) {
      core::log("pool: the database answers");
    } else {
      core::log("pool: DATABASE UNAVAILABLE AT START: ", problem,
                "; every request gets 503 until it answers");
    }
  };
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
        listen_fd, [&dispatcher](http::Request& req) { return dispatcher.handle(req); },
        [&dispatcher] { dispatcher.after_response(); });
  });
}
