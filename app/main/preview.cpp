// POST /preview: the HTML a Markdown text will show as, rendered by the same
// code as posts and comments, for the live preview under the post, edit and
// comment forms (views/static/preview.js).
#include <nlohmann/json.hpp>

#include "core/markdown.hpp"
#include "main/handlers.hpp"
#include "models/rate_limit.hpp"

namespace inkwell::main {
namespace {

constexpr long kPreviewsPerWindow = 60;  // per client address
constexpr long kWindowSeconds = 60;
// As long as a post may be (posts.body is a TEXT column).
constexpr std::size_t kMaxPreviewBytes = 65535;

http::Response json_error(int status, std::string_view error, std::string_view message) {
  nlohmann::json body{{"error", error}, {"message", message}};
  return http::Response::json(body.dump(), status);
}

}  // namespace

http::Response preview(core::Context& ctx) {
  // Counted before the work, so that refused requests cost a counter only.
  const long hits =
      models::hit_rate_limit(ctx.db, "preview:" + ctx.req.remote_addr, kWindowSeconds);
  if (hits > kPreviewsPerWindow) {
    http::Response res = json_error(429, "too many requests", "Too many previews; wait a minute.");
    res.header("Retry-After", std::to_string(kWindowSeconds));
    return res;
  }
  const std::string* body = ctx.req.form.find("body");
  if (body == nullptr) return json_error(400, "bad request", "The form field body is missing.");
  if (body->size() > kMaxPreviewBytes) {
    return json_error(400, "bad request",
                      "The text is longer than " + std::to_string(kMaxPreviewBytes) + " bytes.");
  }
  nlohmann::json out{{"html", core::markdown_to_html(*body)}};
  // Invalid UTF-8 in the text is replaced, never a reason to fail.
  return http::Response::json(out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace inkwell::main
