// /auth/account and /auth/sessions/revoke-others ("log out everywhere else").
#include "auth/handlers.hpp"
#include "auth/sessions.hpp"
#include "core/view.hpp"
#include "models/session.hpp"
#include "models/user.hpp"

namespace inkwell::auth {

http::Response account(core::Context& ctx) {
  core::Page page(ctx, "auth/account.tpl", "Your Account");
  page.dict().SetValue("EMAIL", ctx.user->email);
  page.dict().SetIntValue("SESSION_COUNT", models::count_sessions(ctx.db, ctx.user->id));
  page.dict().SetValue("CSRF_TOKEN", ctx.csrf_token());
  return page.render();
}

http::Response revoke_other_sessions(core::Context& ctx) {
  core::Db::Transaction tx(ctx.db);
  end_other_sessions(ctx, ctx.user->id);
  // API tokens and mailed links die too.
  models::bump_token_version(ctx.db, ctx.user->id);
  tx.commit();
  ctx.flash("You have been logged out everywhere else.", "success");
  return http::Response::redirect(ctx.url_for("auth.account"));
}

}  // namespace inkwell::auth
