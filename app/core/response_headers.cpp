#include "core/response_headers.hpp"

#include "core/session.hpp"

namespace inkwell::core {

bool is_personal(const Context& ctx, const http::Response& res) {
  // The cookies count before identify ran too (a refused request, an error):
  // whatever the answer, it went to someone who may be logged in.
  return ctx.user || !ctx.session_id.empty() || !ctx.shareable ||
         ctx.req.cookies.has(kSessionCookie) || ctx.req.cookies.has(kRememberCookie) ||
         res.sets_cookie();
}

void add_response_headers(const Context& ctx, http::Response& res) {
  if (is_personal(ctx, res)) res.header("Cache-Control", "no-store");
  if (ctx.config.https()) res.header("Strict-Transport-Security", std::string(kHstsPolicy));
}

}  // namespace inkwell::core
