// /auth/register, /auth/confirm/<token>, /auth/confirm, /auth/unconfirmed.
#include "auth/account.hpp"
#include "auth/handlers.hpp"
#include "auth/mail_limits.hpp"
#include "core/view.hpp"
#include "models/user.hpp"

namespace inkwell::auth {
namespace {

core::Form register_form() {
  core::Form form({{"email", "Email", "email"},
                   {"username", "Username"},
                   {"password", "Password", "password", {}, "new-password"},
                   {"password2", "Confirm password", "password", {}, "new-password"}},
                  "Register");
  form.requiring({"email", "username", "password", "password2"})
      .max_length("email", models::kMaxEmailLength)
      .max_length("username", models::kMaxUsernameLength);
  return form;
}

}  // namespace

http::Response register_user(core::Context& ctx) {
  core::Form form = register_form();
  if (ctx.req.method != http::POST) return core::form_page(ctx, "Register", form);

  form.read(ctx.req.form);
  form.require();
  check_new_email(ctx, form, "email");
  const std::string& username = form.value("username");
  if (!username.empty()) {
    if (!models::valid_username(username)) {
      form.error("username", "Usernames must have only letters, numbers, dots or underscores");
    } else if (models::username_taken(ctx.db, username)) {
      form.error("username", "Username already in use.");
    }
  }
  check_new_password(form, "password", "password2");
  if (!form.valid()) return core::form_page(ctx, "Register", form);

  models::NewUser u;
  u.email = models::normalize_email(form.value("email"));
  u.username = username;
  u.password = form.value("password");
  // Never an administrator here: the role for INKWELL_ADMIN is given when
  // the address is confirmed (admin_role_follows), not when it is typed.
  try {
    core::Db::Transaction tx(ctx.db);
    std::int64_t id = models::create_user(ctx.db, u, ctx.config.password_method);
    send_confirmation(MailContext(ctx), id, u.email, u.username);
    if (!ctx.config.admin_email.empty()) {
      ctemplate::TemplateDictionary dict("mail");
      dict.SetValue("USERNAME", u.username);
      dict.SetValue("EMAIL", u.email);
      send_email(ctx, ctx.config.admin_email, "New User", "mail/new_user", dict);
    }
    tx.commit();
  } catch (const sql::SQLException& e) {
    if (!core::is_duplicate_key(e)) throw;
    // Lost a race with another registration of the same name or address.
    if (models::email_taken(ctx.db, u.email)) form.error("email", "Email already registered.");
    if (models::username_taken(ctx.db, u.username)) {
      form.error("username", "Username already in use.");
    }
    return core::form_page(ctx, "Register", form);
  }
  ctx.flash("A confirmation email has been sent to you by email.");
  return http::Response::redirect(ctx.url_for("auth.login"));
}

http::Response confirm(core::Context& ctx) {
  if (ctx.user->confirmed) return http::Response::redirect("/");
  // The token carries the token version, which an email change moves on: a
  // link mailed to an address the account no longer has confirms nothing.
  auto token = read_user_token(ctx, kConfirmPurpose, ctx.req.param("token"));
  if (token && token->user_id == ctx.user->id) {
    core::Db::Transaction tx(ctx.db);
    models::confirm_user(ctx.db, ctx.user->id);
    admin_role_follows(ctx, ctx.user->id, ctx.user->email, ctx.user->email);
    tx.commit();
    ctx.flash("You have confirmed your account. Thanks!", "success");
  } else {
    ctx.flash("The confirmation link is invalid or has expired.", "danger");
  }
  return http::Response::redirect("/");
}

http::Response resend_confirmation(core::Context& ctx) {
  if (ctx.user->confirmed) return http::Response::redirect("/");
  if (!allow_mail_request(ctx, kConfirmMail, ctx.user->email, ctx.user->id)) {
    ctx.flash(std::string(kTooManyMailRequests), "danger");
    return http::Response::redirect(ctx.url_for("auth.unconfirmed"));
  }
  send_confirmation(MailContext(ctx), ctx.user->id, ctx.user->email, ctx.user->username);
  ctx.flash("A new confirmation email has been sent to you by email.");
  return http::Response::redirect("/");
}

http::Response unconfirmed(core::Context& ctx) {
  if (!ctx.user || ctx.user->confirmed) return http::Response::redirect("/");
  core::Page page(ctx, "auth/unconfirmed.tpl", "Confirm your account");
  page.dict().SetValue("USERNAME", ctx.user->username);
  return page.render();
}

}  // namespace inkwell::auth
