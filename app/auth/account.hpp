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
inline constexpr long kTokenSeconds = 3600;

std::string make_account_token(const core::Context& ctx, std::string_view purpose,
                               std::int64_t user_id, std::string_view extra = "");
std::optional<security::TokenData> read_account_token(const core::Context& ctx,
                                                      std::string_view purpose,
                                                      std::string_view token);

// Renders views/<base>.txt.tpl and .html.tpl with dict and stores the mail
// in the outbox (in the caller's transaction). Subject gets "[Inkwell] ".
void send_email(core::Context& ctx, const std::string& to, std::string_view subject,
                std::string_view base, ctemplate::TemplateDictionary& dict);
// The confirmation mail for a new or unconfirmed account.
void send_confirmation(core::Context& ctx, std::int64_t user_id, const std::string& email,
                       const std::string& username);

}  // namespace inkwell::auth
