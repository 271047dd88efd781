// Response headers through nginx: the security headers every stack sends (the
// production snippet, nginx/security-headers.conf), Cache-Control: no-store on
// everything personal, HSTS only on an https site, pages that need no inline
// script or style, and the request's form Content-Type read case-insensitively.
#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

// How many times the reply carries header `name` (lower-case).
std::size_t header_count(const Reply& r, const std::string& name) {
  return r.headers.count(name);
}

void check_security_headers(const Reply& r, const std::string& what) {
  CAPTURE(what);
  CAPTURE(r.status);
  const std::string csp = r.header("content-security-policy");
  CHECK(header_count(r, "content-security-policy") == 1);
  CHECK(csp.find("default-src 'self'") != std::string::npos);
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("style-src 'self'") != std::string::npos);
  CHECK(csp.find("object-src 'none'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(csp.find("unsafe-eval") == std::string::npos);
  CHECK(header_count(r, "x-frame-options") == 1);
  CHECK(r.header("x-frame-options") == "DENY");
  CHECK(header_count(r, "x-content-type-options") == 1);
  CHECK(r.header("x-content-type-options") == "nosniff");
  CHECK(header_count(r, "referrer-policy") == 1);
  CHECK(r.header("referrer-policy") == "same-origin");
}

bool no_store(const Reply& r) {
  static const std::regex token(R"((^|[,\s])no-store($|[,\s]))");
  return std::regex_search(r.header("cache-control"), token);
}

}  // namespace

TEST_CASE("headers: security headers on dynamic pages, static files and errors") {
  Client c;
  const std::vector<std::pair<std::string, long>> visits = {
      {"/", 200},
      {"/auth/login", 200},
      {"/static/styles.css", 200},
      {"/static/bootstrap/js/bootstrap.bundle.min.js", 200},
      {"/no/such/page", 404},             // the application's 404 page
      {"/static/no-such-file.css", 404},  // nginx's own 404
      {"/api/v1/posts/", 401},            // JSON error from the application
  };
  for (const auto& [path, status] : visits) {
    Reply r = c.get(path);
    CHECK_MESSAGE(r.status == status, path);
    check_security_headers(r, path);
  }
  // The 413 that nginx answers itself for the API, from a named location.
  Reply big = c.post("/api/v1/posts/", std::string(2 * 1024 * 1024, 'a'), "application/json");
  CHECK(big.status == 413);
  check_security_headers(big, "413 from nginx");
  // And a logged-in page.
  Client user;
  confirmed_user(user, "hdrsec");
  check_security_headers(user.get("/"), "logged-in home");
}

TEST_CASE("headers: the pages need no inline script, event handler or style attribute") {
  Client c;
  Account a = confirmed_user(c, "hdrinline");
  // A profile with an about_me shows every optional part of the page.
  Reply r = submit(c, "/edit-profile", {{"name", "N"}, {"location", "L"}, {"about_me", "about"}});
  REQUIRE(r.status == 302);
  r = submit(c, "/", {{"body", "a post to show"}});
  REQUIRE(r.status == 302);
  const std::string post_id = sql_value(
      "SELECT MAX(p.id) FROM posts p JOIN users u ON u.id = p.author_id WHERE u.username = " +
      sql_quote(a.username));
  REQUIRE(!post_id.empty());

  const std::regex inline_script(R"(<script(?![^>]*\ssrc=)[^>]*>)", std::regex::icase);
  const std::regex handler(R"(<[^>]*\son[a-z]+\s*=)", std::regex::icase);
  const std::regex style(R"(<[^>]*\sstyle\s*=|<style)", std::regex::icase);
  Client visitor;
  const std::vector<std::pair<Client*, std::string>> pages = {
      {&c, "/"},
      {&c, "/user/" + a.username},
      {&c, "/post/" + post_id},
      {&c, "/edit-profile"},
      {&c, "/auth/change-password"},
      {&c, "/auth/account"},
      {&visitor, "/"},
      {&visitor, "/user/" + a.username},
      {&visitor, "/auth/login"},
      {&visitor, "/auth/register"},
  };
  for (const auto& [client, path] : pages) {
    CAPTURE(path);
    Reply page = client->get(path);
    REQUIRE(page.status == 200);
    if (path == "/user/" + a.username) CHECK(page.contains("about-me"));
    CHECK_FALSE(std::regex_search(page.body, inline_script));
    CHECK_FALSE(std::regex_search(page.body, handler));
    CHECK_FALSE(std::regex_search(page.body, style));
    CHECK(page.body.find("javascript:") == std::string::npos);
  }
}

TEST_CASE("headers: no-store on every logged-in response and every page holding a CSRF token") {
  SUBCASE("a visitor's home page has no form and stays cacheable") {
    Client c;
    Reply home = c.get("/");
    REQUIRE(home.status == 200);
    CHECK(csrf_token(home).empty());
    CHECK_FALSE(no_store(home));
  }
  SUBCASE("a visitor's login and register forms, also once the CSRF cookie is set") {
    Client c;
    for (const std::string path : {"/auth/login", "/auth/login", "/auth/register", "/auth/reset"}) {
      CAPTURE(path);
      Reply r = c.get(path);
      REQUIRE(r.status == 200);
      CHECK(!csrf_token(r).empty());
      CHECK(no_store(r));
    }
    REQUIRE(!c.cookie("csrf").empty());
  }
  SUBCASE("a logged-in user's pages, with or without a form, errors and redirects") {
    Client c;
    Account a = confirmed_user(c, "hdrstore");
    const std::vector<std::string> paths = {"/",
                                            "/user/" + a.username,
                                            "/followers/" + a.username,
                                            "/followed_by/" + a.username,
                                            "/auth/change-password",
                                            "/auth/account",
                                            "/no/such/page",
                                            "/moderate",
                                            "/all"};
    for (const std::string& path : paths) {
      CAPTURE(path);
      Reply r = c.get(path);
      CHECK(r.status != 0);
      CHECK(no_store(r));
    }
    Reply api =
        c.get("/api/v1/posts/",
              {"Authorization: Basic " +
               run("printf %s " + shell_quote(a.email + ":" + a.password) + " | base64 -w0")});
    CHECK(api.status == 200);
    CHECK(no_store(api));
  }
}

TEST_CASE("headers: no Strict-Transport-Security on an http site") {
  REQUIRE(base_url().rfind("http://", 0) == 0);
  Client c;
  for (const std::string path : {"/", "/auth/login", "/no/such/page", "/static/styles.css"}) {
    CAPTURE(path);
    Reply r = c.get(path);
    CHECK(r.header("strict-transport-security").empty());
  }
  Client user;
  confirmed_user(user, "hdrhsts");
  CHECK(user.get("/").header("strict-transport-security").empty());
}

TEST_CASE("headers: a form's Content-Type is matched case-insensitively") {
  Account a;
  {
    Client setup;
    a = confirmed_user(setup, "hdrtype");
  }
  auto login_with = [&](const std::string& content_type) {
    Client c;
    const std::string token = csrf_token(c.get("/auth/login"));
    REQUIRE(!token.empty());
    return c.post(
        "/auth/login",
        form_encode({{"csrf_token", token}, {"email", a.email}, {"password", a.password}}),
        content_type);
  };
  for (const std::string type :
       {"Application/X-WWW-Form-Urlencoded; Charset=UTF-8", "APPLICATION/X-WWW-FORM-URLENCODED",
        "application/x-www-form-urlencoded ; charset=utf-8"}) {
    CAPTURE(type);
    Reply r = login_with(type);
    CHECK(r.status == 302);
    CHECK(r.header("location") == "/");
  }
  // Other types are not read as a form: no csrf_token, so 400 as before.
  for (const std::string type : {"multipart/form-data; boundary=x", "text/plain",
                                 "application/x-www-form-urlencodedx", "application/json"}) {
    CAPTURE(type);
    CHECK(login_with(type).status == 400);
  }
}
