// /auth/change-password, /auth/reset, /auth/reset/<token>.
#include "auth/account.hpp"
#include "auth/handlers.hpp"
#include "auth/mail_limits.hpp"
#include "auth/sessions.hpp"
#include "core/view.hpp"
#include "models/user.hpp"

namespace inkwell::auth {

http::Response change_password(core::Context& ctx) {
  core::Form form({{"old_password", "Old password", "password"},
                   {"password", "New password", "password", {}, "new-password"},
                   {"password2", "Confirm new password", "password", {}, "new-password"}},
                  "Update Password");
  form.requiring({"old_password", "password", "password2"});
  if (ctx.req.method != http::POST) return core::form_page(ctx, "Change Password", form);

  form.read(ctx.req.form);
  form.require();
  check_new_password(form, "password", "password2");
  if (!form.valid()) return core::form_page(ctx, "Change Password", form);
  auto check = models::check_password(ctx.db, ctx.user->id, form.value("old_password"),
                                      ctx.config.password_method);
  if (!check.ok) {
    ctx.flash("Invalid password.", "danger");
    return core::form_page(ctx, "Change Password", form);
  }
  core::Db::Transaction tx(ctx.db);
  models::set_password(ctx.db, ctx.user->id, form.value("password"), ctx.config.password_method);
  end_other_sessions(ctx, ctx.user->id);
  tx.commit();
  ctx.flash("Your password has been updated.", "success");
  return http::Response::redirect("/");
}

http::Response password_reset_request(core::Context& ctx) {
  core::Form form({{"email", "Email", "email"}}, "Reset Password");
  form.requiring({"email"}).max_length("email", models::kMaxEmailLength);
  if (ctx.req.method != http::POST) return core::form_page(ctx, "Reset Your Password", form);

  form.read(ctx.req.form);
  form.require();
  check_email(form, "email");
  if (!form.valid()) return core::form_page(ctx, "Reset Your Password", form);
  // The same answer whether the account exists or not; the limits count
  // requests for unknown addresses too, so a refusal tells nothing either.
  auto user = models::find_user_by_email(ctx.db, form.value("email"));
  if (!allow_mail_request(ctx, kResetMail, form.value("email"),
                          user ? std::optional<std::int64_t>(user->id) : std::nullopt)) {
    ctx.flash(std::string(kTooManyMailRequests), "danger");
    return core::form_page(ctx, "Reset Your Password", form, {}, 429);
  }
  if (user) send_password_reset(MailContext(ctx), user->id, user->email, user->username);
  ctx.flash("An email with instructions to reset your password has been sent to you.");
  return http::Response::redirect(ctx.url_for("auth.login"));
}

http::Response password_reset(core::Context& ctx) {
  auto token = read_user_token(ctx, kResetPurpose, ctx.req.param("token"));
  if (!token) {
    ctx.flash("The password reset link is invalid or has expired.", "danger");
    return http::Response::redirect("/");
  }
  core::Form form({{"password", "New Password", "password", {}, "new-password"},
                   {"password2", "Confirm password", "password", {}, "new-password"}},
                  "Reset Password");
  form.requiring({"password", "password2"});
  if (ctx.req.method != http::POST) return core::form_page(ctx, "Reset Your Password", form);

  form.read(ctx.req.form);
  form.require();
  check_new_password(form, "password", "password2");
  if (!form.valid()) return core::form_page(ctx, "Reset Your Password", form);
  core::Db::Transaction tx(ctx.db);
  models::set_password(ctx.db, token->user_id, form.value("password"), ctx.config.password_method);
  end_other_sessions(ctx, token->user_id);
  tx.commit();
  ctx.flash("Your password has been updated.", "success");
  return http::Response::redirect(ctx.url_for("auth.login"));
}

}  // namespace inkwell::auth
