// Context: everything a handler may use for one request, passed by
// reference; no request state lives in globals.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/db.hpp"
#include "core/http.hpp"
#include "core/router.hpp"

namespace inkwell::core {

class View;

// Who is making the request, as the session layer found them.
struct Identity {
  std::int64_t id = 0;
  std::string username;
  std::string email;
  unsigned permissions = 0;
  bool confirmed = false;
};

struct Flash {
  std::string category;  // Bootstrap alert kind: info, success, warning, danger
  std::string message;
};

struct Context {
  Context(const Config& c, const Router& r, const View& v, Db& d, http::Request& q)
      : config(c), router(r), view(v), db(d), req(q) {}

  const Config& config;
  const Router& router;
  const View& view;
  Db& db;
  http::Request& req;

  std::optional<Identity> user;         // set by the session layer (or API authentication)
  bool authenticated_by_token = false;  // API: the caller sent a token, not a password
  std::string session_id;               // the logged-in session's raw id, "" when none
  std::string visitor_csrf;             // a visitor's CSRF cookie value, "" when none
  std::vector<Flash> flashes_in;        // from the previous response
  std::vector<Flash> flashes_out;       // for the next page
  bool flashes_shown = false;           // a page displayed flashes_in
  std::vector<http::Cookie> cookies;    // set on whatever response goes out
  // False once the page holds something meant for this client alone (a CSRF
  // token): it must not be served to another visitor from the page cache.
  bool shareable = true;

  std::string url_for(std::string_view name,
                      std::initializer_list<std::string_view> args = {}) const {
    return router.url_for(name, args);
  }
  bool can(unsigned permission) const {
    return user && (user->permissions & permission) == permission;
  }
  void flash(std::string message, std::string category = "info") {
    flashes_out.push_back({std::move(category), std::move(message)});
  }
  // The CSRF token for forms on this page, bound to the session when logged
  // in, else to the visitor's CSRF cookie (created on first use).
  std::string csrf_token();
  // A cookie with the site's defaults (HttpOnly, SameSite=Lax, Secure on https).
  http::Cookie cookie(std::string name, std::string value, std::optional<long> max_age) const;
};

}  // namespace inkwell::core
