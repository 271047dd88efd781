// POST /api/v1/tokens/: a signed API token for the password-authenticated caller.
#include "api/handlers.hpp"
#include "api/json.hpp"

namespace inkwell::api {

http::Response new_token(core::Context& ctx) {
  // A token cannot be used to get a new token: that would make it eternal.
  if (ctx.authenticated_by_token) throw http::HttpError(401, "Invalid credentials");
  constexpr long kSeconds = 3600;
  return reply({{"token", make_api_token(ctx, ctx.user->id, kSeconds)}, {"expiration", kSeconds}});
}

}  // namespace inkwell::api
