// GET /metrics: the Prometheus text exposition of the pool's counters (see
// core/metrics.hpp) and the outbox's figures from the database. Only for a
// client on the loopback (nginx also allows only 127.0.0.1 and ::1): the
// figures say how the site is used, which is nobody else's business.
#include "core/metrics.hpp"

#include "core/client_address.hpp"
#include "models/outbox.hpp"
#include "ops/handlers.hpp"

namespace inkwell::ops {
namespace {

bool loopback(const std::string& address) {
  static const core::TrustedProxies kLoopback = core::TrustedProxies::parse("127.0.0.0/8 ::1/128");
  auto ip = core::parse_ip(address);
  return ip && kLoopback.contains(*ip);
}

}  // namespace

http::Response metrics(core::Context& ctx) {
  if (!loopback(ctx.req.remote_addr)) throw http::HttpError(404);
  std::optional<core::metrics::OutboxFigures> outbox;
  try {
    models::OutboxStatus st = models::outbox_status(ctx.db, 0);
    models::OutboxBacklog backlog = models::outbox_backlog(ctx.db);
    outbox = core::metrics::OutboxFigures{st.pending, st.failed, st.sent, backlog.oldest_seconds};
  } catch (const core::DbUnavailable&) {
    // the pool's own counters still go out; inkwell_database_up says 0
  } catch (const sql::SQLException&) {
    ctx.db.reset();
  }
  http::Response res;
  res.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  res.header("Cache-Control", "no-store");
  res.body = core::metrics::render(ctx.router.names(), outbox ? &*outbox : nullptr);
  return res;
}

}  // namespace inkwell::ops
