// The session policy of the site: who is calling (session cookie, then the
// remember-me cookie), strong protection by client fingerprint, login and
// logout, and ending a user's other sessions.
#pragma once

#include <optional>

#include "core/context.hpp"

namespace inkwell::auth {

// Pipeline stage: fills ctx.user from the session or remember-me cookie.
void identify(core::Context& ctx);
// Pipeline stage: an unconfirmed user may only use /auth/ pages.
std::optional<http::Response> unconfirmed_gate(core::Context& ctx);
// Guard failure for visitors: to the login page, coming back afterwards.
http::Response login_redirect(core::Context& ctx);

// Logs the user in with a new session id (no fixation); remember sets the
// 365-day remember_token cookie.
void log_in(core::Context& ctx, const core::Identity& who, bool remember);
// Deletes the session and remember token and clears their cookies.
void log_out(core::Context& ctx);
// After a password change: every other session and remember token of the user ends.
void end_other_sessions(core::Context& ctx, std::int64_t user_id);

}  // namespace inkwell::auth
