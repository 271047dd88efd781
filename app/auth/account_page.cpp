// The account page and what is done from it: /auth/account, ending one
// session or all others, and personal API tokens.
#include <charconv>
#include <ctime>

#include "auth/account.hpp"
#include "auth/handlers.hpp"
#include "auth/sessions.hpp"
#include "core/session.hpp"
#include "core/time_format.hpp"
#include "core/user_agent.hpp"
#include "core/view.hpp"
#include "models/api_token.hpp"
#include "models/session.hpp"

namespace inkwell::auth {
namespace {

constexpr long kMaxTokenDays = 3650;

using core::ts;

// Section `name` with AT/RELATIVE/READABLE (and IP) when `at` is set, else NO_<name>.
void time_section(ctemplate::TemplateDictionary& dict, const char* name, const char* none,
                  const std::string& at, const std::string& ip, std::time_t now) {
  if (at.empty()) {
    dict.ShowSection(none);
    return;
  }
  auto* s = dict.AddSectionDictionary(name);
  s->SetValue("AT", ts(at));
  s->SetValue("RELATIVE", core::relative_time(at, now));
  s->SetValue("READABLE", core::readable_utc(at));
  s->SetValue("IP", ts(ip));
}

struct NewToken {
  std::string name;
  std::string token;
};

http::Response account_page(core::Context& ctx, const NewToken* fresh = nullptr) {
  const std::time_t now = std::time(nullptr);
  core::Page page(ctx, "auth/account.tpl", "Your Account");
  auto& d = page.dict();
  d.SetValue("EMAIL", ctx.user->email);
  d.SetValue("CSRF_TOKEN", ctx.csrf_token());
  d.SetValue("BASE_URL", ts(ctx.config.base_url));

  models::LoginRecord record = models::login_record(ctx.db, ctx.user->id);
  time_section(d, "CURRENT_LOGIN", "NO_CURRENT_LOGIN", record.current_at, record.current_ip, now);
  time_section(d, "LAST_LOGIN", "NO_LAST_LOGIN", record.last_at, record.last_ip, now);
  d.SetIntValue("LOGIN_COUNT", record.count);
  d.ShowSection(models::wants_new_signin_mail(ctx.db, ctx.user->id) ? "SIGNIN_MAIL_ON"
                                                                    : "SIGNIN_MAIL_OFF");

  const std::string mine = ctx.session_id.empty() ? "" : core::id_hash(ctx.session_id);
  for (const models::SessionInfo& s : models::list_sessions(ctx.db, ctx.user->id)) {
    auto* row = d.AddSectionDictionary("SESSION");
    row->SetValue("ID", std::to_string(s.public_id));
    row->SetValue("BROWSER", core::describe_user_agent(s.user_agent));
    row->SetValue("ADDRESS", ts(s.address));
    row->SetValue("STARTED", ts(s.created_at));
    row->SetValue("STARTED_RELATIVE", core::relative_time(s.created_at, now));
    row->SetValue("STARTED_READABLE", core::readable_utc(s.created_at));
    row->SetValue("SEEN", ts(s.last_seen_at));
    row->SetValue("SEEN_RELATIVE", core::relative_time(s.last_seen_at, now));
    row->SetValue("SEEN_READABLE", core::readable_utc(s.last_seen_at));
    if (s.id_hash == mine) row->ShowSection("THIS_DEVICE");
    if (s.remembered) row->ShowSection("REMEMBERED");
  }

  if (fresh) {
    auto* n = d.AddSectionDictionary("NEW_TOKEN");
    n->SetValue("NAME", ts(fresh->name));
    n->SetValue("TOKEN", ts(fresh->token));
  }
  for (const models::ApiToken& t : models::list_api_tokens(ctx.db, ctx.user->id)) {
    auto* row = d.AddSectionDictionary("API_TOKEN");
    row->SetValue("ID", std::to_string(t.id));
    row->SetValue("NAME", ts(t.name));
    row->SetValue("CREATED", ts(t.created_at));
    row->SetValue("CREATED_RELATIVE", core::relative_time(t.created_at, now));
    row->SetValue("CREATED_READABLE", core::readable_utc(t.created_at));
    time_section(*row, "USED", "NEVER_USED", t.last_used_at, "", now);
    time_section(*row, "EXPIRES", "NEVER_EXPIRES", t.expires_at, "", now);
  }
  return page.render();
}

http::Response back_to_account(core::Context& ctx, std::string message, const char* category) {
  ctx.flash(std::move(message), category);
  return http::Response::redirect(ctx.url_for("auth.account"));
}

}  // namespace

http::Response account(core::Context& ctx) {
  return account_page(ctx);
}

http::Response set_signin_mail(core::Context& ctx) {
  const bool on = ctx.req.form.get("enabled") == "1";
  models::set_new_signin_mail(ctx.db, ctx.user->id, on);
  return back_to_account(ctx,
                         on ? "You will get a mail for each new sign-in."
                            : "You will no longer get a mail for new sign-ins.",
                         "success");
}

http::Response revoke_session(core::Context& ctx) {
  if (!models::revoke_session(ctx.db, ctx.user->id, ctx.req.param_int("id"))) {
    throw http::HttpError(404);
  }
  return back_to_account(ctx, "The session has been logged out.", "success");
}

http::Response revoke_other_sessions(core::Context& ctx) {
  core::Db::Transaction tx(ctx.db);
  end_other_sessions(ctx, ctx.user->id);
  // API tokens and mailed links die too.
  models::bump_token_version(ctx.db, ctx.user->id);
  tx.commit();
  return back_to_account(ctx, "You have been logged out everywhere else.", "success");
}

http::Response create_api_token(core::Context& ctx) {
  const std::string& name = ctx.req.form.get("name");
  const std::string& days_text = ctx.req.form.get("expires_days");
  long days = -1;
  auto [end, ec] = std::from_chars(days_text.data(), days_text.data() + days_text.size(), days);
  bool days_ok = ec == std::errc() && end == days_text.data() + days_text.size() && days >= 0 &&
                 days <= kMaxTokenDays;
  if (name.empty() || name.size() > 64 || !days_ok) {
    return back_to_account(ctx,
                           "A token needs a name (at most 64 characters) and a number of days "
                           "from 0 (never expires) to 3650.",
                           "danger");
  }
  NewToken fresh{name, std::string(kPersonalTokenPrefix) + security::random_token(32)};
  models::create_api_token(ctx.db, ctx.user->id, name, security::sha256_hex(fresh.token), days);
  // Shown on this page once; only its hash is kept.
  return account_page(ctx, &fresh);
}

http::Response revoke_api_token(core::Context& ctx) {
  if (!models::revoke_api_token(ctx.db, ctx.user->id, ctx.req.param_int("id"))) {
    throw http::HttpError(404);
  }
  return back_to_account(ctx, "The token has been revoked.", "success");
}

}  // namespace inkwell::auth
