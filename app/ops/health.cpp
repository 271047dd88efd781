// GET /healthz: 200 when the database answers and every migration this
// binary knows is applied, else 503; either way a JSON body with the
// figures, the mail outbox's backlog included (informative: a slow SMTP
// server must not take the site out of a load balancer). Two indexed
// queries, no session, no log line unless it fails.
#include <nlohmann/json.hpp>

#include "core/log.hpp"
#include "models/migrations.hpp"
#include "models/outbox.hpp"
#include "ops/handlers.hpp"

namespace inkwell::ops {
namespace {

// The migrations shipped with this binary: read once per worker (a deploy
// that brings new ones restarts or re-execs the pool).
const std::vector<std::string>* known_migrations(const std::string& dir) {
  static const std::optional<std::vector<std::string>> known =
      [&dir]() -> std::optional<std::vector<std::string>> {
    try {
      return models::migration_files(dir);
    } catch (const std::exception& e) {
      core::log("healthz: ", e.what());
      return std::nullopt;
    }
  }();
  return known ? &*known : nullptr;
}

}  // namespace

http::Response healthz(core::Context& ctx) {
  nlohmann::json body;
  bool healthy = true;
  const std::vector<std::string>* known = known_migrations(ctx.config.migrations_dir);
  try {
    nlohmann::json migrations;
    if (known) {
      std::vector<std::string> pending = models::pending_migrations(ctx.db, *known);
      migrations = {{"current", pending.empty()}, {"known", known->size()}, {"pending", pending}};
      healthy = pending.empty();
    } else {
      migrations = {{"current", false}, {"error", "migrations directory not readable"}};
      healthy = false;
    }
    models::OutboxBacklog backlog = models::outbox_backlog(ctx.db);
    body["database"] = {{"reachable", true}};
    body["migrations"] = migrations;
    body["outbox"] = {{"backlog", backlog.count},
                      {"oldest_unsent_seconds", backlog.oldest_seconds < 0
                                                    ? nlohmann::json(nullptr)
                                                    : nlohmann::json(backlog.oldest_seconds)}};
  } catch (const core::DbUnavailable& e) {
    healthy = false;
    body["database"] = {{"reachable", false}, {"error", e.what()}};
  } catch (const sql::SQLException& e) {
    ctx.db.reset();
    healthy = false;
    body["database"] = {{"reachable", false}, {"error", e.what()}};
  }
  body["status"] = healthy ? "ok" : "unavailable";
  http::Response res = http::Response::json(body.dump(), healthy ? 200 : 503);
  res.header("Cache-Control", "no-store");
  if (!healthy) res.header("Retry-After", "2");
  return res;
}

}  // namespace inkwell::ops
