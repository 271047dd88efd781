#include "api/json.hpp"

namespace inkwell::api {
namespace {

std::string post_path(std::int64_t id) {
  return "/api/v1/posts/" + std::to_string(id);
}
std::string user_path(std::int64_t id) {
  return "/api/v1/users/" + std::to_string(id);
}

}  // namespace

nlohmann::json post_json(const models::Post& p) {
  return {{"url", post_path(p.id)},
          {"body", p.body},
          {"body_html", p.body_html},
          {"timestamp", p.timestamp},
          {"author_url", user_path(p.author_id)},
          {"comments_url", post_path(p.id) + "/comments/"},
          {"comment_count", p.comment_count}};
}

nlohmann::json comment_json(const models::Comment& c, bool show_disabled) {
  nlohmann::json j{{"url", "/api/v1/comments/" + std::to_string(c.id)},
                   {"post_url", post_path(c.post_id)},
                   {"timestamp", c.timestamp},
                   {"author_url", user_path(c.author_id)}};
  if (c.disabled) j["disabled"] = true;
  if (!c.disabled || show_disabled) {
    j["body"] = c.body;
    j["body_html"] = c.body_html;
  }
  return j;
}

nlohmann::json user_json(const models::User& u) {
  return {{"url", user_path(u.id)},
          {"username", u.username},
          {"member_since", u.member_since},
          {"last_seen", u.last_seen},
          {"posts_url", user_path(u.id) + "/posts/"},
          {"followed_posts_url", user_path(u.id) + "/timeline/"},
          {"post_count", u.post_count}};
}

nlohmann::json posts_page(const std::vector<models::Post>& posts, const core::Pagination& p,
                          const std::string& path) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& post : posts) items.push_back(post_json(post));
  return page_json("posts", std::move(items), p, path);
}

void require_permission(const core::Context& ctx, unsigned permission) {
  if (!ctx.can(permission)) throw http::HttpError(403, "Insufficient permissions");
}

core::Pagination page_of(const core::Context& ctx, long per_page, long total) {
  return core::paginate(core::page_param(ctx.req.query.get("page")), per_page, total);
}

nlohmann::json page_json(const char* key, nlohmann::json items, const core::Pagination& p,
                         const std::string& path) {
  nlohmann::json out;
  out[key] = std::move(items);
  out["prev"] = p.has_prev() ? nlohmann::json(path + "?page=" + std::to_string(p.page - 1))
                             : nlohmann::json(nullptr);
  out["next"] = p.has_next() ? nlohmann::json(path + "?page=" + std::to_string(p.page + 1))
                             : nlohmann::json(nullptr);
  out["count"] = p.total;
  return out;
}

http::Response reply(const nlohmann::json& body, int status) {
  return http::Response::json(body.dump(), status);
}

http::Response created(const core::Context& ctx, const nlohmann::json& body,
                       const std::string& path) {
  http::Response res = reply(body, 201);
  res.header("Location", ctx.config.base_url + path);
  return res;
}

std::string body_field(const core::Context& ctx, const char* what) {
  return body_field(ctx.req.content_type, ctx.req.body, what);
}

std::string body_field(std::string_view content_type, std::string_view body_text,
                       const char* what) {
  if (http::media_type(content_type) != "application/json") {
    throw http::HttpError(415, "expected a JSON body (Content-Type: application/json)");
  }
  nlohmann::json j = nlohmann::json::parse(body_text, nullptr, false);
  if (j.is_discarded()) throw http::HttpError(400, "malformed JSON");
  if (!j.is_object()) throw http::HttpError(400, "expected a JSON object");
  auto it = j.find("body");
  if (it == j.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) {
    throw http::HttpError(400, std::string(what) + " does not have a body");
  }
  if (!it->is_string()) throw http::HttpError(400, "body must be a string");
  std::string body = it->get<std::string>();
  if (body.find('\0') != std::string::npos) throw http::HttpError(400, "body contains a NUL byte");
  return body;
}

}  // namespace inkwell::api
