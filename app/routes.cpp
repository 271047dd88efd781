// Every URL of the site, a line each: methods, pattern, handler, name, guard.
#include "routes.hpp"

#include "auth/handlers.hpp"
#include "main/handlers.hpp"

namespace inkwell {

std::vector<core::Route> routes() {
  using namespace http;  // GET, POST: method bits
  const core::Guard login{.login = true};
  const core::Guard visitor{.anonymous_only = true};
  return {
      {GET | POST, "/", main::index, "main.index"},

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
  };
}

}  // namespace inkwell
