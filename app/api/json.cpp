#include "api/json.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/json_writer.hpp"

namespace inkwell::api {
namespace {

std::string post_path(std::int64_t id) {
  return "/api/v1/posts/" + std::to_string(id);
}
std::string user_path(std::int64_t id) {
  return "/api/v1/users/" + std::to_string(id);
}

void write_post(core::JsonWriter& j, const models::Post& p) {
  const std::string url = post_path(p.id);
  j.begin_object();
  j.field("author_url", user_path(p.author_id));
  j.field("body", p.body);
  j.field("body_html", p.body_html);
  j.field("comment_count", p.comment_count);
  j.field("comments_url", url + "/comments/");
  j.field("timestamp", p.timestamp);
  j.field("url", url);
  j.end_object();
}

void write_comment(core::JsonWriter& j, const models::Comment& c, bool show_disabled) {
  const bool body = !c.disabled || show_disabled;
  j.begin_object();
  j.field("author_url", user_path(c.author_id));
  if (body) {
    j.field("body", c.body);
    j.field("body_html", c.body_html);
  }
  if (c.disabled) {
    j.key("disabled");
    j.boolean(true);
  }
  j.field("post_url", post_path(c.post_id));
  j.field("timestamp", c.timestamp);
  j.field("url", "/api/v1/comments/" + std::to_string(c.id));
  j.end_object();
}

// A page's members in the order of their names; write_items writes the
// array of items under `key`.
template <class WriteItems>
std::string page_json(std::string_view key, const core::Pagination& p, const std::string& path,
                      WriteItems write_items) {
  core::JsonWriter j;
  auto page_url = [&](bool has, long page) {
    if (has) {
      j.string(path + "?page=" + std::to_string(page));
    } else {
      j.null();
    }
  };
  std::pair<std::string_view, std::function<void()>> members[] = {
      {key, [&] { write_items(j); }},
      {"count", [&] { j.integer(p.total); }},
      {"next", [&] { page_url(p.has_next(), p.page + 1); }},
      {"prev", [&] { page_url(p.has_prev(), p.page - 1); }}};
  std::sort(std::begin(members), std::end(members),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  j.begin_object();
  for (const auto& [name, write] : members) {
    j.key(name);
    write();
  }
  j.end_object();
  return j.text();
}

}  // namespace

std::string post_json(const models::Post& p) {
  core::JsonWriter j;
  write_post(j, p);
  return j.text();
}

std::string comment_json(const models::Comment& c, bool show_disabled) {
  core::JsonWriter j;
  write_comment(j, c, show_disabled);
  return j.text();
}

std::string user_json(const models::User& u) {
  core::JsonWriter j;
  j.begin_object();
  j.field("followed_posts_url", user_path(u.id) + "/timeline/");
  j.field("last_seen", u.last_seen);
  j.field("member_since", u.member_since);
  j.field("post_count", u.post_count);
  j.field("posts_url", user_path(u.id) + "/posts/");
  j.field("url", user_path(u.id));
  j.field("username", u.username);
  j.end_object();
  return j.text();
}

std::string posts_page(const std::vector<models::Post>& posts, const core::Pagination& p,
                       const std::string& path) {
  return page_json("posts", p, path, [&](core::JsonWriter& j) {
    j.begin_array();
    for (const auto& post : posts) write_post(j, post);
    j.end_array();
  });
}

std::string comments_page(const std::vector<models::Comment>& comments, bool show_disabled,
                          const core::Pagination& p, const std::string& path) {
  return page_json("comments", p, path, [&](core::JsonWriter& j) {
    j.begin_array();
    for (const auto& c : comments) write_comment(j, c, show_disabled);
    j.end_array();
  });
}

void require_permission(const core::Context& ctx, unsigned permission) {
  if (!ctx.can(permission)) throw http::HttpError(403, "Insufficient permissions");
}

core::Pagination page_of(const core::Context& ctx, long per_page, long total) {
  return core::paginate(core::page_param(ctx.req.query.get("page")), per_page, total);
}

http::Response reply(std::string json_text, int status) {
  return http::Response::json(std::move(json_text), status);
}

http::Response created(const core::Context& ctx, std::string json_text, const std::string& path) {
  http::Response res = reply(std::move(json_text), 201);
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
