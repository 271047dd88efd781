// The API's JSON shapes (SPEC §6) and its request/response helpers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/context.hpp"
#include "core/pagination.hpp"
#include "models/comment.hpp"
#include "models/post.hpp"
#include "models/user.hpp"

namespace inkwell::api {

nlohmann::json post_json(const models::Post& p);
// A disabled comment says "disabled": true; its body and body_html are left
// out unless show_disabled (for moderators).
nlohmann::json comment_json(const models::Comment& c, bool show_disabled);
nlohmann::json user_json(const models::User& u);

// {"<key>": items, "prev": url|null, "next": url|null, "count": total}
nlohmann::json page_json(const char* key, nlohmann::json items, const core::Pagination& p,
                         const std::string& path);
nlohmann::json posts_page(const std::vector<models::Post>& posts, const core::Pagination& p,
                          const std::string& path);
core::Pagination page_of(const core::Context& ctx, long per_page, long total);

// 403 "Insufficient permissions" unless the caller has every bit of permission.
void require_permission(const core::Context& ctx, unsigned permission);

http::Response reply(const nlohmann::json& body, int status = 200);
// 201 with Location: BASE_URL + path.
http::Response created(const core::Context& ctx, const nlohmann::json& body,
                       const std::string& path);

// The "body" of a JSON request: 415 unless application/json, 400 for
// malformed JSON or a missing/empty body (with `what` in the message).
std::string body_field(const core::Context& ctx, const char* what);
// The same from the raw Content-Type and body, with no request around them.
std::string body_field(std::string_view content_type, std::string_view body, const char* what);

}  // namespace inkwell::api
