// The API's JSON shapes (SPEC §6) and its request/response helpers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/context.hpp"
#include "core/pagination.hpp"
#include "models/comment.hpp"
#include "models/post.hpp"
#include "models/user.hpp"

namespace inkwell::api {

// The JSON texts of the API's shapes, written as they go (core::JsonWriter)
// with their members in the order of their names, as nlohmann::json, which
// the API used before, wrote them.
std::string post_json(const models::Post& p);
// A disabled comment says "disabled": true; its body and body_html are left
// out unless show_disabled (for moderators).
std::string comment_json(const models::Comment& c, bool show_disabled);
std::string user_json(const models::User& u);

// {"<key>": items, "count": total, "next": url|null, "prev": url|null}
std::string posts_page(const std::vector<models::Post>& posts, const core::Pagination& p,
                       const std::string& path);
std::string comments_page(const std::vector<models::Comment>& comments, bool show_disabled,
                          const core::Pagination& p, const std::string& path);
core::Pagination page_of(const core::Context& ctx, long per_page, long total);

// 403 "Insufficient permissions" unless the caller has every bit of permission.
void require_permission(const core::Context& ctx, unsigned permission);

// A JSON text as the answer.
http::Response reply(std::string json_text, int status = 200);
// 201 with Location: BASE_URL + path.
http::Response created(const core::Context& ctx, std::string json_text, const std::string& path);

// The "body" of a JSON request: 415 unless application/json, 400 for
// malformed JSON or a missing/empty body (with `what` in the message).
std::string body_field(const core::Context& ctx, const char* what);
// The same from the raw Content-Type and body, with no request around them.
std::string body_field(std::string_view content_type, std::string_view body, const char* what);

}  // namespace inkwell::api
