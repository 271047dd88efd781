// /auth/change_email and /auth/change_email/<token>.
#include "auth/account.hpp"
#include "auth/handlers.hpp"
#include "auth/mail_limits.hpp"
#include "core/view.hpp"
#include "models/user.hpp"

namespace inkwell::auth {

http::Response change_email_request(core::Context& ctx) {
  core::Form form({{"email", "New Email", "email"}, {"password", "Password", "password"}},
                  "Update Email Address");
  form.requiring({"email", "password"}).max_length("email", models::kMaxEmailLength);
  if (ctx.req.method != http::POST) return core::form_page(ctx, "Change Your Email Address", form);

  form.read(ctx.req.form);
  form.require();
  check_new_email(ctx, form, "email");
  if (!form.valid()) return core::form_page(ctx, "Change Your Email Address", form);
  auto check = models::check_password(ctx.db, ctx.user->id, form.value("password"),
                                      ctx.config.password_method);
  if (!check.ok) {
    ctx.flash("Invalid email or password.", "danger");
    return core::form_page(ctx, "Change Your Email Address", form);
  }
  std::string new_email = models::normalize_email(form.value("email"));
  if (!allow_mail_request(ctx, kChangeEmailMail, new_email, ctx.user->id)) {
    ctx.flash(std::string(kTooManyMailRequests), "danger");
    return core::form_page(ctx, "Change Your Email Address", form, {}, 429);
  }
  ctemplate::TemplateDictionary dict("mail");
  dict.SetValue("USERNAME", ctx.user->username);
  dict.SetValue("LINK", ctx.config.base_url + "/auth/change_email/" +
                            make_user_token(ctx, kChangeEmailPurpose, ctx.user->id, kTokenSeconds,
                                            new_email));
  send_email(ctx, new_email, "Confirm your email address", "auth/email/change_email", dict);
  ctx.flash("An email with instructions to confirm your new email address has been sent to you.");
  return http::Response::redirect("/");
}

http::Response change_email(core::Context& ctx) {
  // The token carries the token version, which the change itself moves on:
  // it works once, and an older link dies with any later change.
  auto token = read_user_token(ctx, kChangeEmailPurpose, ctx.req.param("token"));
  bool ok = token && token->user_id == ctx.user->id && models::valid_email(token->payload);
  if (ok) {
    // The address must still be free when the link is used (the unique key
    // settles a race between two such links).
    try {
      core::Db::Transaction tx(ctx.db);
      ok = !models::email_taken(ctx.db, token->payload);
      if (ok) {
        // The link proves the new address: the account is confirmed too.
        models::change_email(ctx.db, ctx.user->id, token->payload);
        admin_role_follows(ctx, ctx.user->id, ctx.user->email, token->payload);
        tx.commit();
      }
    } catch (const sql::SQLException& e) {
      if (!core::is_duplicate_key(e)) throw;
      ok = false;
    }
  }
  ctx.flash(ok ? "Your email address has been updated." : "Invalid request.",
            ok ? "success" : "danger");
  return http::Response::redirect("/");
}

}  // namespace inkwell::auth
