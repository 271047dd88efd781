#include "auth/account_mail.hpp"

#include <ctime>

#include "core/security.hpp"
#include "core/view.hpp"
#include "models/outbox.hpp"
#include "models/user.hpp"

namespace inkwell::auth {
namespace {

using core::ts;

// The dictionary of an account mail: the user's name and the site's link
// BASE_URL + route + a token for purpose.
void fill_link_mail(const MailContext& m, ctemplate::TemplateDictionary& dict, std::int64_t user_id,
                    const std::string& username, std::string_view route, std::string_view purpose) {
  dict.SetValue("USERNAME", ts(username));
  dict.SetValue("LINK", ts(m.config.base_url + std::string(route) +
                           make_user_token(m.db, m.config, purpose, user_id)));
}

}  // namespace

std::string make_user_token(core::Db& db, const core::Config& config, std::string_view purpose,
                            std::int64_t user_id, long seconds, std::string_view payload) {
  unsigned version = models::token_version(db, user_id).value_or(0);
  std::string extra = std::to_string(version);
  extra.append(1, ':').append(payload);
  return security::make_token(config.secret_key, purpose, user_id, std::time(nullptr) + seconds,
                              extra);
}

std::string mail_subject(std::string_view subject) {
  return "[Inkwell] " + std::string(subject);
}

void send_email(const MailContext& m, const std::string& to, std::string_view subject,
                std::string_view base, ctemplate::TemplateDictionary& dict) {
  models::OutgoingMail mail;
  mail.to = to;
  mail.subject = mail_subject(subject);
  mail.text = m.view.expand(std::string(base) + ".txt.tpl", dict);
  mail.html = m.view.expand(std::string(base) + ".html.tpl", dict);
  models::enqueue_mail(m.db, mail);
}

void send_confirmation(const MailContext& m, std::int64_t user_id, const std::string& email,
                       const std::string& username) {
  ctemplate::TemplateDictionary dict("mail");
  fill_link_mail(m, dict, user_id, username, "/auth/confirm/", kConfirmPurpose);
  send_email(m, email, kConfirmSubject, "auth/email/confirm", dict);
}

void send_password_reset(const MailContext& m, std::int64_t user_id, const std::string& email,
                         const std::string& username) {
  ctemplate::TemplateDictionary dict("mail");
  fill_link_mail(m, dict, user_id, username, "/auth/reset/", kResetPurpose);
  send_email(m, email, kResetSubject, "auth/email/reset_password", dict);
}

}  // namespace inkwell::auth
