// Handlers of the main area: home, profiles, posts, follows, comments,
// moderation (SPEC §4).
#pragma once

#include "core/context.hpp"

namespace inkwell::main {

// home.cpp
http::Response index(core::Context& ctx);
http::Response show_all(core::Context& ctx);
http::Response show_followed(core::Context& ctx);
// posts.cpp
http::Response post(core::Context& ctx);
http::Response edit_post(core::Context& ctx);
// moderation.cpp
http::Response moderate(core::Context& ctx);
http::Response moderate_enable(core::Context& ctx);
http::Response moderate_disable(core::Context& ctx);
// preview.cpp
http::Response preview(core::Context& ctx);
// profile.cpp
http::Response user(core::Context& ctx);
http::Response edit_profile(core::Context& ctx);
http::Response edit_profile_admin(core::Context& ctx);
// avatar.cpp
http::Response avatar(core::Context& ctx);
// feeds.cpp
http::Response site_feed(core::Context& ctx);
http::Response user_feed(core::Context& ctx);
// follows.cpp
http::Response follow(core::Context& ctx);
http::Response unfollow(core::Context& ctx);
http::Response followers(core::Context& ctx);
http::Response followed_by(core::Context& ctx);

}  // namespace inkwell::main
