// API authentication (SPEC §6): HTTP Basic with email:password (throttled
// like the login form) or an API token as the user name with an empty
// password. No cookies, hence no CSRF.
#include <ctime>

#include "api/basic_auth.hpp"
#include "api/handlers.hpp"
#include "core/dispatcher.hpp"
#include "core/security.hpp"
#include "models/session.hpp"
#include "models/user.hpp"

namespace inkwell::api {
namespace {

constexpr std::string_view kTokenPurpose = "api";

}  // namespace

std::string make_api_token(const core::Context& ctx, std::int64_t user_id, long seconds) {
  return security::make_token(ctx.config.secret_key, kTokenPurpose, user_id,
                              std::time(nullptr) + seconds);
}

std::optional<http::Response> authenticate(core::Context& ctx) {
  auto unauthorized = [&ctx] { return core::error_response(ctx, 401, "Invalid credentials"); };
  auto credentials = basic_credentials(ctx.req);
  if (!credentials) return unauthorized();

  std::optional<models::User> user;
  if (credentials->password.empty()) {
    auto token = security::verify_token(ctx.config.secret_key, kTokenPurpose, credentials->name,
                                        std::time(nullptr));
    if (!token) return unauthorized();
    user = models::find_user(ctx.db, token->user_id);
    ctx.authenticated_by_token = true;
  } else {
    std::string email = models::normalize_email(credentials->name);
    if (models::login_throttled(ctx.db, email, ctx.req.remote_addr)) {
      return core::error_response(ctx, 429, "Too many failed login attempts");
    }
    auto check =
        models::check_login(ctx.db, email, credentials->password, ctx.config.password_method);
    if (!check.user) {
      models::record_login_failure(ctx.db, email, ctx.req.remote_addr);
      return unauthorized();
    }
    if (check.needs_rehash) {
      models::set_password(ctx.db, check.user->id, credentials->password,
                           ctx.config.password_method);
    }
    user = std::move(check.user);
  }
  if (!user) return unauthorized();
  ctx.user = models::identity_of(*user);
  if (!user->confirmed) return core::error_response(ctx, 403, "Unconfirmed account");
  return std::nullopt;
}

}  // namespace inkwell::api
