// Two-factor login policy: checking a second factor (a TOTP code, each time
// step once, or a one-time recovery code) and the short-lived signed cookie
// that carries a correct password to the code step.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/context.hpp"

namespace inkwell::auth {

// The associated data that binds a sealed TOTP secret to its user.
std::string totp_owner(std::int64_t user_id);

// What is stored of a recovery code: its hash, after the forgiving
// normalisation of what people type (case, spaces and dashes ignored).
std::string recovery_code_hash(std::string_view code);

enum class SecondFactor { refused, totp, recovery_code };
// Checks code for the user; a code is used up by the check that accepts it.
SecondFactor check_second_factor(core::Context& ctx, std::int64_t user_id, std::string_view code);

// After a correct password of a two-factor user: the cookie that lets the
// same browser finish the login at /auth/two-factor/verify within 5 minutes.
void begin_two_factor_login(core::Context& ctx, std::int64_t user_id, bool remember);
struct PendingLogin {
  std::int64_t user_id = 0;
  bool remember = false;
};
std::optional<PendingLogin> pending_two_factor_login(core::Context& ctx);
void end_two_factor_login(core::Context& ctx);

// Mails the owner about a change of their second factor.
void mail_two_factor_event(core::Context& ctx, std::int64_t user_id, std::string_view subject,
                           std::string_view what);

}  // namespace inkwell::auth
