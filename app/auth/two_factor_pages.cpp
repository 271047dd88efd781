// /auth/two-factor: status, setup, enable (with recovery codes), disable,
// and the code step of a login (/auth/two-factor/verify).
#include <ctime>

#include "auth/account.hpp"
#include "auth/handlers.hpp"
#include "auth/sessions.hpp"
#include "auth/throttle.hpp"
#include "auth/two_factor.hpp"
#include "core/qr_svg.hpp"
#include "core/secret_box.hpp"
#include "core/totp.hpp"
#include "core/view.hpp"
#include "models/session.hpp"
#include "models/two_factor.hpp"

namespace inkwell::auth {
namespace {

constexpr std::size_t kSecretBytes = 20;  // 160 bits, as RFC 4226 recommends
constexpr int kRecoveryCodes = 10;

http::Response back_to_status(core::Context& ctx, std::string message, const char* category) {
  ctx.flash(std::move(message), category);
  return http::Response::redirect(ctx.url_for("auth.two_factor"));
}

// The setup page for a secret (kept sealed as pending until confirmed).
http::Response setup_page(core::Context& ctx, const std::string& secret) {
  core::Page page(ctx, "auth/two_factor_setup.tpl", "Set Up Two-Factor Login");
  std::string uri = totp::otpauth_uri("Inkwell", ctx.user->email, secret);
  page.dict().SetValue("QR_SVG", core::qr_svg(uri));
  page.dict().SetValue("SECRET", totp::base32_encode(secret));
  page.dict().SetValue("URI", uri);
  page.dict().SetValue("CSRF_TOKEN", ctx.csrf_token());
  return page.render();
}

// "abcde-fghij": 50 random bits from base32's lower-case alphabet.
std::string new_recovery_code() {
  std::string raw = totp::base32_encode(security::random_bytes(7));
  std::string code;
  for (std::size_t i = 0; i < 10; ++i) {
    if (i == 5) code += '-';
    char c = raw[i];
    code += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return code;
}

}  // namespace

http::Response two_factor(core::Context& ctx) {
  models::TwoFactor state = models::two_factor_of(ctx.db, ctx.user->id);
  core::Page page(ctx, "auth/two_factor.tpl", "Two-Factor Login");
  page.dict().SetValue("CSRF_TOKEN", ctx.csrf_token());
  if (state.enabled()) {
    page.dict().ShowSection("ON");
    page.dict().SetIntValue("CODES_LEFT", state.recovery_codes_left);
  } else {
    page.dict().ShowSection("OFF");
  }
  return page.render();
}

http::Response two_factor_setup(core::Context& ctx) {
  if (models::two_factor_of(ctx.db, ctx.user->id).enabled()) {
    return back_to_status(ctx, "Two-factor login is already on.", "info");
  }
  std::string secret = security::random_bytes(kSecretBytes);
  models::set_pending_totp(ctx.db, ctx.user->id,
                           security::seal(ctx.config.secret_key, totp_owner(ctx.user->id), secret));
  return setup_page(ctx, secret);
}

http::Response two_factor_enable(core::Context& ctx) {
  models::TwoFactor state = models::two_factor_of(ctx.db, ctx.user->id);
  if (state.enabled()) return back_to_status(ctx, "Two-factor login is already on.", "info");
  auto secret = security::open(ctx.config.secret_key, totp_owner(ctx.user->id), state.pending_box);
  if (!secret) return back_to_status(ctx, "Please set up two-factor login again.", "danger");
  auto step =
      totp::matching_step(*secret, ctx.req.form.get("code"), totp::step_of(std::time(nullptr)), 0);
  if (!step) {
    ctx.flash("Invalid code.", "danger");
    return setup_page(ctx, *secret);
  }
  std::vector<std::string> codes, hashes;
  for (int i = 0; i < kRecoveryCodes; ++i) {
    codes.push_back(new_recovery_code());
    hashes.push_back(recovery_code_hash(codes.back()));
  }
  core::Db::Transaction tx(ctx.db);
  models::enable_totp(ctx.db, ctx.user->id, *step, hashes);
  mail_two_factor_event(ctx, ctx.user->id, "Two-factor login turned on",
                        "Two-factor login was turned on for your Inkwell account.");
  tx.commit();
  core::Page page(ctx, "auth/recovery_codes.tpl", "Recovery Codes");
  for (const std::string& code : codes) {
    page.dict().AddSectionDictionary("CODE")->SetValue("CODE", code);
  }
  return page.render();
}

http::Response two_factor_disable(core::Context& ctx) {
  auto password = models::check_password(ctx.db, ctx.user->id, ctx.req.form.get("password"),
                                         ctx.config.password_method);
  if (!password.ok ||
      check_second_factor(ctx, ctx.user->id, ctx.req.form.get("code")) == SecondFactor::refused) {
    return back_to_status(ctx, "Invalid password or code.", "danger");
  }
  core::Db::Transaction tx(ctx.db);
  models::disable_totp(ctx.db, ctx.user->id);
  mail_two_factor_event(ctx, ctx.user->id, "Two-factor login turned off",
                        "Two-factor login was turned off for your Inkwell account.");
  tx.commit();
  return back_to_status(ctx, "Two-factor login is off.", "success");
}

http::Response two_factor_verify(core::Context& ctx) {
  auto pending = pending_two_factor_login(ctx);
  std::optional<models::User> user;
  if (pending) user = models::find_user(ctx.db, pending->user_id);
  if (!user || user->disabled) {
    ctx.flash("Please log in again.", "info");
    return http::Response::redirect(ctx.url_for("auth.login"));
  }
  core::Form form({{"code", "Code from your app, or a recovery code", "text", {}, "one-time-code"}},
                  "Verify");
  if (ctx.req.method != http::POST) return core::form_page(ctx, "Two-Factor Login", form);
  form.read(ctx.req.form);
  form.require({"code"});
  if (!form.valid()) return core::form_page(ctx, "Two-Factor Login", form);

  // Throttled like the password: per (account, address) and per address.
  const std::string& address = ctx.req.remote_addr;
  if (login_throttled(
          models::recent_login_failures(ctx.db, user->email, address, kThrottleWindowSeconds))) {
    ctx.flash("Too many failed login attempts. Please try again later.", "danger");
    return core::form_page(ctx, "Two-Factor Login", form, {}, 429);
  }
  SecondFactor factor = check_second_factor(ctx, user->id, form.value("code"));
  if (factor == SecondFactor::refused) {
    models::record_login_failure(ctx.db, user->email, address);
    ctx.flash("Invalid code.", "danger");
    return core::form_page(ctx, "Two-Factor Login", form);
  }
  core::Db::Transaction tx(ctx.db);
  models::clear_login_failures(ctx.db, user->email, address);
  log_in(ctx, models::identity_of(*user), pending->remember);
  end_two_factor_login(ctx);
  if (factor == SecondFactor::recovery_code) {
    mail_two_factor_event(ctx, user->id, "A recovery code was used",
                          "A recovery code was used to log in to your Inkwell account.");
  }
  tx.commit();
  std::string next = ctx.req.query.get("next");
  return http::Response::redirect(safe_next(next) ? next : "/");
}

}  // namespace inkwell::auth
