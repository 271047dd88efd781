// Shared pieces of the account pages: input rules with SPEC §4's messages,
// signed account tokens, and the account mails (built in auth/account_mail,
// which the CLI shares).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/account_mail.hpp"
#include "core/context.hpp"
#include "core/form.hpp"
#include "core/security.hpp"
#include "models/user.hpp"

namespace inkwell::auth {

// A `next` to go to after a login: only a local path, "/x" but never
// "//host" or "/\host", nor control characters.
bool safe_next(std::string_view next);

// Checks `field` as an email address (format, length); false when it is
// empty or refused.
bool check_email(core::Form& form, std::string_view field);
// Checks `field` as a new email address (format, length, not taken).
void check_new_email(core::Context& ctx, core::Form& form, std::string_view field);
// Checks a new password and its repetition (length, match).
void check_new_password(core::Form& form, std::string_view field, std::string_view repeat);

// Personal API tokens start with this; signed tokens never do.
inline constexpr std::string_view kPersonalTokenPrefix = "ink_";

// make_user_token of auth/account_mail with the request's database and
// configuration.
std::string make_user_token(core::Context& ctx, std::string_view purpose, std::int64_t user_id,
                            long seconds = kTokenSeconds, std::string_view payload = "");
struct UserToken {
  std::int64_t user_id = 0;
  unsigned version = 0;  // the user's token version when it was made
  std::string payload;
};
// The token's user, version and payload when its signature, purpose and
// expiry are good; the caller compares the version with the user's.
std::optional<UserToken> verify_user_token(const core::Context& ctx, std::string_view purpose,
                                           std::string_view token);
// The token's user and payload when its signature, purpose and expiry are
// good and its version is still the user's (no password or email change and
// no "log out everywhere" since it was made).
std::optional<UserToken> read_user_token(core::Context& ctx, std::string_view purpose,
                                         std::string_view token);

// The INKWELL_ADMIN role follows a confirmed address: called when the user's
// address `confirmed_email` has just been proven (registration confirmation
// or a confirmed email change away from `old_email`). The role is given for
// INKWELL_ADMIN and taken back from an account that leaves it.
void admin_role_follows(core::Context& ctx, std::int64_t user_id, std::string_view old_email,
                        std::string_view confirmed_email);

// send_email of auth/account_mail with the request's templates and database.
void send_email(core::Context& ctx, const std::string& to, std::string_view subject,
                std::string_view base, ctemplate::TemplateDictionary& dict);
// A device (address, browser) unused by an account this long is new again.
inline constexpr long kNewDeviceAfterDays = 90;
// The device's browser as login_devices keys it: SHA-256 of the User-Agent.
std::string device_agent_hash(const core::Context& ctx);
// At a login (after record_login): a login from a device not seen for the
// user in kNewDeviceAfterDays mails "New sign-in to your Inkwell account",
// unless it is the account's first login or the owner turned it off. It
// records the device either way.
void mail_if_new_signin(core::Context& ctx, const core::Identity& who);

}  // namespace inkwell::auth
