// Who calls the API: HTTP Basic with email:password, checked exactly as the
// login form checks them (check_credentials), or an API token as the user
// name with an empty password. No cookies, hence no CSRF. And the token
// endpoint, POST /api/v1/tokens/.
#include <nlohmann/json.hpp>

#include "auth/account.hpp"
#include "auth/credentials.hpp"
#include "auth/handlers.hpp"
#include "core/basic_auth.hpp"
#include "core/dispatcher.hpp"
#include "models/api_token.hpp"

namespace inkwell::auth {
namespace {

constexpr long kApiTokenSeconds = 3600;

}  // namespace

std::optional<http::Response> authenticate_api(core::Context& ctx) {
  auto unauthorized = [&ctx] { return core::error_response(ctx, 401, "Invalid credentials"); };
  auto credentials = http::basic_credentials(ctx.req.header("authorization"));
  if (!credentials) return unauthorized();

  std::optional<models::User> user;
  if (credentials->password.empty()) {
    // A token made before the last password or email change, or before "log
    // out everywhere", is refused (both kinds check the version).
    if (credentials->user.starts_with(kPersonalTokenPrefix)) {
      auto user_id = models::use_api_token(ctx.db, security::sha256_hex(credentials->user));
      if (user_id) user = models::find_user(ctx.db, *user_id);
    } else if (auto token = verify_user_token(ctx, kApiPurpose, credentials->user)) {
      // One query: the user row carries the version to compare.
      user = models::find_user(ctx.db, token->user_id);
      if (user && user->token_version != token->version) user.reset();
    }
    if (!user) return unauthorized();
    ctx.authenticated_by_token = true;
  } else {
    CredentialCheck check = check_credentials(ctx, credentials->user, credentials->password);
    if (check.verdict == Verdict::throttled) {
      return core::error_response(ctx, 429, "Too many failed login attempts");
    }
    if (check.verdict == Verdict::disabled) {
      return core::error_response(ctx, 403, kAccountDisabledApi);
    }
    if (check.user && check.user->two_factor) {
      // A password alone is half of this account's login.
      return core::error_response(
          ctx, 401, "Two-factor login is on: use a personal API token from /auth/account");
    }
    user = std::move(check.user);
  }
  if (!user) return unauthorized();
  if (user->disabled) return core::error_response(ctx, 403, kAccountDisabledApi);
  ctx.user = models::identity_of(*user);
  if (!user->confirmed) return core::error_response(ctx, 403, "Unconfirmed account");
  return std::nullopt;
}

http::Response new_api_token(core::Context& ctx) {
  // A token cannot be used to get a new token: that would make it eternal.
  if (ctx.authenticated_by_token) throw http::HttpError(401, "Invalid credentials");
  nlohmann::json body{{"token", make_user_token(ctx, kApiPurpose, ctx.user->id, kApiTokenSeconds)},
                      {"expiration", kApiTokenSeconds}};
  return http::Response::json(body.dump());
}

}  // namespace inkwell::auth
