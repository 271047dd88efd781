// The account mails (confirmation, password reset) and the signed tokens
// their links carry, built in one place for the site's handlers and the
// operator's CLI (`inkwell users reset-password`, `users
// resend-confirmations`). Nothing here needs a request: only the
// configuration (base URL, secret key), the templates and the database.
#pragma once

#include <ctemplate/template.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/context.hpp"
#include "core/db.hpp"

namespace inkwell::auth {

// Purposes of signed tokens: a token made for one is refused for another.
inline constexpr std::string_view kConfirmPurpose = "confirm";
inline constexpr std::string_view kResetPurpose = "reset";
inline constexpr std::string_view kChangeEmailPurpose = "change_email";
inline constexpr std::string_view kApiPurpose = "api";
inline constexpr long kTokenSeconds = 3600;

// The subjects of the account mails, before mail_subject adds the prefix.
inline constexpr std::string_view kConfirmSubject = "Confirm Your Account";
inline constexpr std::string_view kResetSubject = "Reset Your Password";

// What a mail is built and queued with.
struct MailContext {
  MailContext(const core::Config& c, const core::View& v, core::Db& d)
      : config(c), view(v), db(d) {}
  explicit MailContext(core::Context& ctx) : MailContext(ctx.config, ctx.view, ctx.db) {}
  const core::Config& config;
  const core::View& view;
  core::Db& db;
};

// A signed token for the user, valid for `seconds`, carrying the user's
// current token version and `payload`.
std::string make_user_token(core::Db& db, const core::Config& config, std::string_view purpose,
                            std::int64_t user_id, long seconds = kTokenSeconds,
                            std::string_view payload = "");

// The Subject: header of every site mail: "[Inkwell] " + subject.
std::string mail_subject(std::string_view subject);

// Renders views/<base>.txt.tpl and .html.tpl with dict and stores the mail
// in the outbox (in the caller's transaction, if any); the mailer sends it.
void send_email(const MailContext& m, const std::string& to, std::string_view subject,
                std::string_view base, ctemplate::TemplateDictionary& dict);

// The confirmation mail for a new or unconfirmed account: a link to
// BASE_URL/auth/confirm/TOKEN.
void send_confirmation(const MailContext& m, std::int64_t user_id, const std::string& email,
                       const std::string& username);

// The password reset mail: a link to BASE_URL/auth/reset/TOKEN. The token
// carries the token version, so it stops working once the password (it
// works once) or the email changes.
void send_password_reset(const MailContext& m, std::int64_t user_id, const std::string& email,
                         const std::string& username);

}  // namespace inkwell::auth
