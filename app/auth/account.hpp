// Shared pieces of the account pages: input rules with SPEC §4's messages,
// signed account tokens, and the account mails.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/context.hpp"
#include "core/form.hpp"
#include "core/security.hpp"
#include "models/user.hpp"

namespace inkwell::auth {

// Checks `field` as an email address (format, length); false when it is
// empty or refused.
bool check_email(core::Form& form, std::string_view field);
// Checks `field` as a new email address (format, length, not taken).
void check_new_email(core::Context& ctx, core::Form& form, std::string_view field);
// Checks a new password and its repetition (length, match).
void check_new_password(core::Form& form, std::string_view field, std::string_view repeat);

// Purposes of signed tokens: a token made for one is refused for another.
inline constexpr std::string_view kConfirmPurpose = "confirm";
inline constexpr std::string_view kResetPurpose = "reset";
inline constexpr std::string_view kChangeEmailPurpose = "change_email";
inline constexpr std::string_view kApiPurpose = "api";
inline constexpr long kTokenSeconds = 3600;
// Personal API tokens start with this; signed tokens never do.
inline constexpr std::string_view kPersonalTokenPrefix = "ink_";

// A signed token for the user, valid for `seconds`, carrying the user's
// current token version and `payload`.
std::string make_user_token(core::Context& ctx, std::string_view purpose, std::int64_t user_id,
                            long seconds = kTokenSeconds, std::string_view payload = "");
struct UserToken {
  std::int64_t user_id = 0;
  std::string payload;
};
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

// Renders views/<base>.txt.tpl and .html.tpl with dict and stores the mail
// in the outbox (in the caller's transaction). Subject gets "[Inkwell] ".
void send_email(core::Context& ctx, const std::string& to, std::string_view subject,
                std::string_view base, ctemplate::TemplateDictionary& dict);
// At a login (before it is recorded): a login from an (address, browser)
// not seen for the user in 90 days mails "New sign-in to your Inkwell
// account", unless it is the account's first login or the owner turned it off.
void mail_if_new_signin(core::Context& ctx, const core::Identity& who);
// The confirmation mail for a new or unconfirmed account.
void send_confirmation(core::Context& ctx, std::int64_t user_id, const std::string& email,
                       const std::string& username);

}  // namespace inkwell::auth
