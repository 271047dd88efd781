#include "auth/account.hpp"

#include <charconv>
#include <ctime>

#include "core/time_format.hpp"
#include "core/user_agent.hpp"
#include "core/view.hpp"

namespace inkwell::auth {
namespace {

using core::ts;

}  // namespace

bool safe_next(std::string_view next) {
  if (next.empty() || next[0] != '/') return false;
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return false;
  for (unsigned char c : next) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool check_email(core::Form& form, std::string_view field) {
  const std::string& email = form.value(field);
  if (email.empty()) return false;  // "required" reports it
  if (models::valid_email(email)) return true;
  form.error(field, "Invalid email address.");
  return false;
}

void check_new_email(core::Context& ctx, core::Form& form, std::string_view field) {
  if (check_email(form, field) && models::email_taken(ctx.db, form.value(field))) {
    form.error(field, "Email already registered.");
  }
}

void check_new_password(core::Form& form, std::string_view field, std::string_view repeat) {
  const std::string& password = form.value(field);
  if (password.empty()) return;
  if (password.size() < 8) form.error(field, "Password must be at least 8 characters long.");
  if (password != form.value(repeat)) form.error(field, "Passwords must match.");
}

std::string make_user_token(core::Context& ctx, std::string_view purpose, std::int64_t user_id,
                            long seconds, std::string_view payload) {
  return make_user_token(ctx.db, ctx.config, purpose, user_id, seconds, payload);
}

std::optional<UserToken> verify_user_token(const core::Context& ctx, std::string_view purpose,
                                           std::string_view token) {
  auto data = security::verify_token(ctx.config.secret_key, purpose, token, std::time(nullptr));
  if (!data) return std::nullopt;
  const std::string& extra = data->extra;
  std::size_t colon = extra.find(':');
  if (colon == std::string::npos) return std::nullopt;
  unsigned version = 0;
  auto [end, ec] = std::from_chars(extra.data(), extra.data() + colon, version);
  if (ec != std::errc() || end != extra.data() + colon) return std::nullopt;
  return UserToken{data->user_id, version, extra.substr(colon + 1)};
}

std::optional<UserToken> read_user_token(core::Context& ctx, std::string_view purpose,
                                         std::string_view token) {
  auto t = verify_user_token(ctx, purpose, token);
  if (!t || models::token_version(ctx.db, t->user_id) != t->version) return std::nullopt;
  return t;
}

void admin_role_follows(core::Context& ctx, std::int64_t user_id, std::string_view old_email,
                        std::string_view confirmed_email) {
  if (ctx.config.admin_email.empty()) return;
  const std::string admin = models::normalize_email(ctx.config.admin_email);
  if (models::normalize_email(confirmed_email) == admin) {
    models::set_administrator(ctx.db, user_id, true);
  } else if (models::normalize_email(old_email) == admin) {
    models::set_administrator(ctx.db, user_id, false);
  }
}

void send_email(core::Context& ctx, const std::string& to, std::string_view subject,
                std::string_view base, ctemplate::TemplateDictionary& dict) {
  send_email(MailContext(ctx), to, subject, base, dict);
}

std::string device_agent_hash(const core::Context& ctx) {
  return security::sha256_hex(ctx.req.header("user-agent"));
}

void mail_if_new_signin(core::Context& ctx, const core::Identity& who) {
  const std::string agent = ctx.req.header("user-agent");
  bool is_new = models::record_login_device(ctx.db, who.id, ctx.req.remote_addr,
                                            device_agent_hash(ctx), kNewDeviceAfterDays);
  // This login is counted already: a first login (count 1) has nothing to warn of.
  if (!is_new || models::login_record(ctx.db, who.id).count <= 1 ||
      !models::wants_new_signin_mail(ctx.db, who.id)) {
    return;
  }
  ctemplate::TemplateDictionary dict("mail");
  dict.SetValue("USERNAME", ts(who.username));
  dict.SetValue("ADDRESS", ts(ctx.req.remote_addr));
  dict.SetValue("BROWSER", core::describe_user_agent(agent));
  dict.SetValue("TIME", core::iso_utc(std::time(nullptr)));
  dict.SetValue("LINK", ts(ctx.config.base_url + ctx.url_for("auth.account")));
  send_email(ctx, who.email, "New sign-in to your Inkwell account", "auth/email/new_signin", dict);
}

}  // namespace inkwell::auth
