// The one check of an email and password, for the login form and the API's
// Basic auth alike: the same input rules, the same throttle, the same
// failure records and alert, the same hash upgrade.
#pragma once

#include <optional>
#include <string_view>

#include "core/context.hpp"
#include "models/user.hpp"

namespace inkwell::auth {

// What a disabled account is told (login form, 403; API, 403 JSON message).
inline constexpr std::string_view kAccountDisabled =
    "This account has been disabled. Please contact the site's administrator.";
inline constexpr std::string_view kAccountDisabledApi = "Account disabled";

enum class Verdict {
  ok,         // user is set
  invalid,    // wrong email or password, or an email that cannot be one
  throttled,  // this address may not try this account (or any) for a while
  disabled,   // right password, but an operator disabled the account (user is set)
};

struct CredentialCheck {
  Verdict verdict = Verdict::invalid;
  std::optional<models::User> user;
};

// Checks email:password from ctx.req.remote_addr. Records each failure and
// commits it (so it must not run inside a caller's transaction); on success
// the pair's failures are cleared and an outdated hash is upgraded, in one
// transaction. Never throws for any input bytes.
CredentialCheck check_credentials(core::Context& ctx, std::string_view email,
                                  std::string_view password);

}  // namespace inkwell::auth
