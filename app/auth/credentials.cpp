#include "auth/credentials.hpp"

#include "auth/account.hpp"
#include "auth/throttle.hpp"
#include "core/http.hpp"
#include "core/metrics.hpp"
#include "models/login.hpp"
#include "models/session.hpp"

namespace inkwell::auth {
namespace {

// A flood of failures against an existing account: its owner hears of it
// once (a day), from whichever failure claims the alert first.
void alert_owner(core::Context& ctx, const std::string& email) {
  auto user = models::find_user_by_email(ctx.db, email);
  if (!user) return;
  core::Db::Transaction tx(ctx.db);
  if (!models::claim_login_alert(ctx.db, user->id, kLoginAlertEverySeconds)) return;
  ctemplate::TemplateDictionary dict("mail");
  dict.SetValue("USERNAME", user->username);
  dict.SetValue("LINK", ctx.config.base_url + ctx.url_for("auth.change_password"));
  send_email(ctx, user->email, "Failed sign-in attempts on your Inkwell account",
             "auth/email/failed_logins", dict);
  tx.commit();
}

}  // namespace

CredentialCheck check_credentials(core::Context& ctx, std::string_view email_in,
                                  std::string_view password) {
  const std::string& address = ctx.req.remote_addr;
  // The email is checked before it reaches a hash or the database: anything
  // else is a failure of the address alone (stored as "").
  const bool plausible = http::valid_utf8(email_in) && models::valid_email(email_in);
  const std::string email = plausible ? models::normalize_email(email_in) : std::string();

  // The failures and the account in one statement; the password is checked
  // only when the throttle lets it.
  models::LoginAttempt attempt =
      models::read_login_attempt(ctx.db, email, address, kThrottleWindowSeconds);
  models::LoginFailures& failures = attempt.failures;
  if (login_throttled(failures)) {
    core::metrics::login_throttled();
    return {Verdict::throttled, std::nullopt};
  }
  if (!plausible) {
    core::metrics::login_failure();
    models::record_login_failure(ctx.db, "", address);
    return {};
  }

  models::LoginCheck check = models::check_login(std::move(attempt.user), attempt.password_hash,
                                                 password, ctx.config.password_method);
  if (!check.user) {
    core::metrics::login_failure();
    models::record_login_failure(ctx.db, email, address);
    ++failures.account;
    if (under_flood(failures)) alert_owner(ctx, email);
    return {};
  }
  if (check.user->disabled) return {Verdict::disabled, std::move(check.user)};
  core::Db::Transaction tx(ctx.db);
  if (check.needs_rehash) {
    models::rehash_password(ctx.db, check.user->id, password, ctx.config.password_method);
  }
  // Only when there is something to clear: a statement that writes makes the
  // request one that cannot run again after a write conflict in log_in (a
  // Galera cluster: many logins into one account from several hosts).
  if (failures.pair > 0) models::clear_login_failures(ctx.db, email, address);
  tx.commit();
  return {Verdict::ok, std::move(check.user)};
}

}  // namespace inkwell::auth
