// GET /auth/account/export.json: everything one has written, for keeping or
// for taking elsewhere: the profile, every post and every comment, as one
// JSON file the browser saves (three queries, whatever the counts).
#include <nlohmann/json.hpp>

#include "auth/handlers.hpp"
#include "models/comment.hpp"
#include "models/post.hpp"
#include "models/user.hpp"

namespace inkwell::auth {
namespace {

// inkwell-<username>.json, with anything but letters, digits, dots and
// underscores (imported names may hold more) replaced: safe in the header.
std::string file_name(std::string_view username) {
  std::string out = "inkwell-";
  for (char c : username) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_';
    out += plain ? c : '_';
  }
  return out + ".json";
}

}  // namespace

http::Response export_account(core::Context& ctx) {
  const models::User u = http::or_404(models::find_user(ctx.db, ctx.user->id));
  const std::string& base = ctx.config.base_url;
  nlohmann::json posts = nlohmann::json::array();
  for (const models::Post& p : models::all_posts_by_author(ctx.db, u.id)) {
    posts.push_back({{"id", p.id},
                     {"url", base + ctx.url_for("main.post", {std::to_string(p.id)})},
                     {"timestamp", p.timestamp},
                     {"body", p.body},
                     {"body_html", p.body_html}});
  }
  nlohmann::json comments = nlohmann::json::array();
  for (const models::Comment& c : models::comments_by_author(ctx.db, u.id)) {
    comments.push_back({{"id", c.id},
                        {"post_url", base + ctx.url_for("main.post", {std::to_string(c.post_id)})},
                        {"timestamp", c.timestamp},
                        {"disabled", c.disabled},
                        {"body", c.body},
                        {"body_html", c.body_html}});
  }
  nlohmann::json out{{"user",
                      {{"username", u.username},
                       {"email", u.email},
                       {"name", u.name},
                       {"location", u.location},
                       {"about_me", u.about_me},
                       {"member_since", u.member_since},
                       {"url", base + ctx.url_for("main.user", {u.username})}}},
                     {"posts", std::move(posts)},
                     {"comments", std::move(comments)}};
  http::Response res =
      http::Response::json(out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  res.header("Content-Disposition", "attachment; filename=\"" + file_name(u.username) + "\"");
  return res;
}

}  // namespace inkwell::auth
