// Handlers of the JSON API /api/v1 (SPEC §6).
#pragma once

#include <optional>

#include "core/context.hpp"

namespace inkwell::api {

// Who the caller is: auth::authenticate_api; tokens: auth::new_api_token.

// posts.cpp
http::Response posts(core::Context& ctx);
http::Response new_post(core::Context& ctx);
http::Response post(core::Context& ctx);
http::Response edit_post(core::Context& ctx);
// users.cpp
http::Response user(core::Context& ctx);
http::Response user_posts(core::Context& ctx);
http::Response user_timeline(core::Context& ctx);
// comments.cpp
http::Response comments(core::Context& ctx);
http::Response comment(core::Context& ctx);
http::Response post_comments(core::Context& ctx);
http::Response new_post_comment(core::Context& ctx);

}  // namespace inkwell::api
