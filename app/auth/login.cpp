// /auth/login and /auth/logout.
#include "auth/account.hpp"
#include "auth/credentials.hpp"
#include "auth/handlers.hpp"
#include "auth/sessions.hpp"
#include "auth/two_factor.hpp"
#include "core/view.hpp"
#include "models/user.hpp"

namespace inkwell::auth {
namespace {

core::Form login_form() {
  core::Form form({{"email", "Email", "email"},
                   {"password", "Password", "password"},
                   {"remember_me", "Keep me logged in", "checkbox"}},
                  "Log In");
  form.requiring({"email", "password"}).max_length("email", models::kMaxEmailLength);
  return form;
}

}  // namespace

http::Response login(core::Context& ctx) {
  core::Form form = login_form();
  if (ctx.req.method != http::POST) return core::form_page(ctx, "Login", form, "LOGIN_LINKS");

  form.read(ctx.req.form);
  form.require();
  check_email(form, "email");
  if (!form.valid()) return core::form_page(ctx, "Login", form, "LOGIN_LINKS");

  CredentialCheck check = check_credentials(ctx, form.value("email"), form.value("password"));
  if (check.verdict == Verdict::throttled) {
    ctx.flash("Too many failed login attempts. Please try again later.", "danger");
    return core::form_page(ctx, "Login", form, "LOGIN_LINKS", 429);
  }
  if (check.verdict == Verdict::disabled) {
    ctx.flash(std::string(kAccountDisabled), "danger");
    return core::form_page(ctx, "Login", form, "LOGIN_LINKS", 403);
  }
  if (check.verdict != Verdict::ok) {
    ctx.flash("Invalid email or password.", "danger");
    return core::form_page(ctx, "Login", form, "LOGIN_LINKS");
  }
  std::string next = ctx.req.query.get("next");
  if (check.user->two_factor) {
    // The password was right; the code step finishes the login (and only
    // then does remember-me apply).
    begin_two_factor_login(ctx, check.user->id, form.checked("remember_me"));
    std::string verify = ctx.url_for("auth.two_factor_verify");
    if (safe_next(next)) verify += "?next=" + http::url_encode(next);
    return http::Response::redirect(verify);
  }
  log_in(ctx, models::identity_of(*check.user), form.checked("remember_me"));
  return http::Response::redirect(safe_next(next) ? next : "/");
}

http::Response logout(core::Context& ctx) {
  log_out(ctx);
  ctx.flash("You have been logged out.");
  return http::Response::redirect("/");
}

}  // namespace inkwell::auth
