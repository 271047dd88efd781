// Every URL of the site, a line each: methods, pattern, handler, name, guard.
#include "routes.hpp"

#include "api/handlers.hpp"
#include "auth/handlers.hpp"
#include "main/handlers.hpp"
#include "ops/handlers.hpp"
#include "models/user.hpp"

namespace inkwell {

std::vector<core::Route> routes() {
  using namespace http;  // GET, POST: method bits
  namespace perm = models::permission;
  const core::Guard login{.login = true};
  const core::Guard visitor{.anonymous_only = true};
  const core::Guard can_follow{.login = true, .permission = perm::kFollow};
  const core::Guard can_moderate{.login = true, .permission = perm::kModerate};
  const core::Guard admin{.login = true, .permission = perm::kAdmin};
  const core::Guard same_for_all{.stateless = true};
  const core::Guard probe{.stateless = true, .quiet = true};
  // One route, one line.
  // clang-format off
  return {
      {GET | POST, "/", main::index, "main.index"},
      {GET, "/all", main::show_all, "main.show_all", login},
      {GET, "/followed", main::show_followed, "main.show_followed", login},
      {GET, "/feed.atom", main::site_feed, "main.site_feed", same_for_all},
      {GET, "/user/<username>", main::user, "main.user"},
      {GET, "/user/<username>/feed.atom", main::user_feed, "main.user_feed", same_for_all},
      {GET | POST, "/edit-profile", main::edit_profile, "main.edit_profile", login},
      {GET | POST, "/edit-profile/<int:id>", main::edit_profile_admin, "main.edit_profile_admin", admin},
      {GET | POST, "/post/<int:id>", main::post, "main.post"},
      {GET | POST, "/edit/<int:id>", main::edit_post, "main.edit", login},
      {POST, "/preview", main::preview, "main.preview", login},
      {POST, "/follow/<username>", main::follow, "main.follow", can_follow},
      {POST, "/unfollow/<username>", main::unfollow, "main.unfollow", can_follow},
      {GET, "/followers/<username>", main::followers, "main.followers"},
      {GET, "/followed_by/<username>", main::followed_by, "main.followed_by"},
      {GET, "/avatar/<file>", main::avatar, "main.avatar", same_for_all},
      {GET, "/healthz", ops::healthz, "ops.healthz", probe},
      {GET, "/metrics", ops::metrics, "ops.metrics", probe},
      {GET, "/moderate", main::moderate, "main.moderate", can_moderate},
      {POST, "/moderate/enable/<int:id>", main::moderate_enable, "main.moderate_enable", can_moderate},
      {POST, "/moderate/disable/<int:id>", main::moderate_disable, "main.moderate_disable", can_moderate},

      {GET | POST, "/auth/login", auth::login, "auth.login"},
      {GET, "/auth/logout", auth::logout, "auth.logout", login},
      {GET | POST, "/auth/register", auth::register_user, "auth.register"},
      {GET, "/auth/confirm/<token>", auth::confirm, "auth.confirm", login},
      {GET, "/auth/confirm", auth::resend_confirmation, "auth.resend_confirmation", login},
      {GET, "/auth/unconfirmed", auth::unconfirmed, "auth.unconfirmed"},
      {GET | POST, "/auth/change-password", auth::change_password, "auth.change_password", login},
      {GET | POST, "/auth/reset", auth::password_reset_request, "auth.password_reset_request", visitor},
      {GET | POST, "/auth/reset/<token>", auth::password_reset, "auth.password_reset", visitor},
      {GET | POST, "/auth/change_email", auth::change_email_request, "auth.change_email_request", login},
      {GET, "/auth/change_email/<token>", auth::change_email, "auth.change_email", login},
      {GET, "/auth/account", auth::account, "auth.account", login},
      {GET, "/auth/account/export.json", auth::export_account, "auth.export_account", login},
      {POST, "/auth/account/sign-in-mail", auth::set_signin_mail, "auth.set_signin_mail", login},
      {POST, "/auth/sessions/<int:id>/revoke", auth::revoke_session, "auth.revoke_session", login},
      {POST, "/auth/sessions/revoke-others", auth::revoke_other_sessions, "auth.revoke_other_sessions", login},
      {GET, "/auth/two-factor", auth::two_factor, "auth.two_factor", login},
      {POST, "/auth/two-factor/setup", auth::two_factor_setup, "auth.two_factor_setup", login},
      {POST, "/auth/two-factor/enable", auth::two_factor_enable, "auth.two_factor_enable", login},
      {POST, "/auth/two-factor/disable", auth::two_factor_disable, "auth.two_factor_disable", login},
      {GET | POST, "/auth/two-factor/verify", auth::two_factor_verify, "auth.two_factor_verify", visitor},
      {POST, "/auth/tokens", auth::create_api_token, "auth.create_api_token", login},
      {POST, "/auth/tokens/<int:id>/revoke", auth::revoke_api_token, "auth.revoke_api_token", login},

      {POST, "/api/v1/tokens/", auth::new_api_token, "api.new_token", login},
      {GET, "/api/v1/posts/", api::posts, "api.posts", login},
      {POST, "/api/v1/posts/", api::new_post, "api.new_post", login},
      {GET, "/api/v1/posts/<int:id>", api::post, "api.post", login},
      {PUT, "/api/v1/posts/<int:id>", api::edit_post, "api.edit_post", login},
      {GET, "/api/v1/posts/<int:id>/comments/", api::post_comments, "api.post_comments", login},
      {POST, "/api/v1/posts/<int:id>/comments/", api::new_post_comment, "api.new_post_comment", login},
      {GET, "/api/v1/users/<int:id>", api::user, "api.user", login},
      {GET, "/api/v1/users/<int:id>/posts/", api::user_posts, "api.user_posts", login},
      {GET, "/api/v1/users/<int:id>/timeline/", api::user_timeline, "api.user_timeline", login},
      {GET, "/api/v1/comments/", api::comments, "api.comments", login},
      {GET, "/api/v1/comments/<int:id>", api::comment, "api.comment", login},
  };
  // clang-format on
}

}  // namespace inkwell
