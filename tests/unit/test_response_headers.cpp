// The headers the pipeline decides per response (core/response_headers):
// Cache-Control: no-store on everything personal, HSTS on an https site;
// directly and through Dispatcher::handle (no database: nothing here queries).
#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/dispatcher.hpp"
#include "core/response_headers.hpp"
#include "core/session.hpp"
#include "core/view.hpp"

namespace {

using namespace inkwell;

std::string views_dir() {
  // This file is tests/unit/…; the views are at the top of the tree.
  return (std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "views").string();
}

std::string header_of(const http::Response& res, std::string_view name) {
  for (const auto& [n, v] : res.headers) {
    if (n == name) return v;
  }
  return "";
}

struct Fixture {
  core::Config config;
  core::Router router{{}};
  core::View view{views_dir()};
  core::Db db{config};
  http::Request req;
  core::Context ctx{config, router, view, db, req};
  Fixture() { config.secret_key = "unit-test-secret"; }
};

http::Response hello(core::Context&) {
  return http::Response::html("hello");
}
http::Response with_form(core::Context& ctx) {
  return http::Response::html("<input name=csrf_token value=" + ctx.csrf_token() + ">");
}

// A dispatcher with two pages and no policy plugged in (no identify: no
// database), for base_url.
struct Site {
  core::Config config;
  std::optional<core::Dispatcher> dispatcher;
  explicit Site(std::string base_url) {
    config.secret_key = "unit-test-secret";
    config.base_url = std::move(base_url);
    config.views_dir = views_dir();
    dispatcher.emplace(config,
                       std::vector<core::Route>{{http::GET, "/", hello, "hello"},
                                                {http::GET, "/form", with_form, "form"}},
                       core::Pipeline{});
  }
  http::Response get(std::string path, std::string cookie = "") {
    http::Request req;
    req.path = std::move(path);
    if (!cookie.empty()) req.cookies = http::parse_cookies(cookie);
    return dispatcher->handle(req);
  }
};

}  // namespace

TEST_CASE("response headers: a visitor's page without a form is cacheable") {
  Fixture f;
  http::Response res = http::Response::html("page");
  CHECK_FALSE(core::is_personal(f.ctx, res));
  core::add_response_headers(f.ctx, res);
  CHECK(header_of(res, "Cache-Control").empty());
  CHECK(header_of(res, "Strict-Transport-Security").empty());
}

TEST_CASE("response headers: no-store on everything personal") {
  SUBCASE("a logged-in user") {
    Fixture f;
    f.ctx.user = core::Identity{1, "me", "me@example.com", 0, true};
    http::Response res = http::Response::html("page");
    core::add_response_headers(f.ctx, res);
    CHECK(header_of(res, "Cache-Control") == "no-store");
  }
  SUBCASE("a session, even before identify ran") {
    Fixture f;
    f.ctx.session_id = "s";
    CHECK(core::is_personal(f.ctx, http::Response::html("page")));
    Fixture g;
    g.req.cookies.add(std::string(core::kSessionCookie), "s");
    CHECK(core::is_personal(g.ctx, http::Response::html("page")));
    Fixture h;
    h.req.cookies.add(std::string(core::kRememberCookie), "r");
    CHECK(core::is_personal(h.ctx, http::Response::html("page")));
  }
  SUBCASE("a visitor's page holding a CSRF token, with or without a new cookie") {
    Fixture f;
    f.ctx.visitor_csrf = "already-set";
    (void)f.ctx.csrf_token();
    CHECK(f.ctx.cookies.empty());
    http::Response res = http::Response::html("form");
    core::add_response_headers(f.ctx, res);
    CHECK(header_of(res, "Cache-Control") == "no-store");
  }
  SUBCASE("a response that sets a cookie") {
    Fixture f;
    http::Response res = http::Response::redirect("/");
    res.delete_cookie("flash");
    core::add_response_headers(f.ctx, res);
    CHECK(header_of(res, "Cache-Control") == "no-store");
  }
  SUBCASE("replaces a Cache-Control the handler set") {
    Fixture f;
    f.ctx.shareable = false;
    http::Response res = http::Response::html("form");
    res.header("Cache-Control", "public, max-age=60");
    core::add_response_headers(f.ctx, res);
    CHECK(header_of(res, "Cache-Control") == "no-store");
    CHECK(res.headers.size() == 2);
  }
}

TEST_CASE("response headers: Strict-Transport-Security only when the base URL is https") {
  Fixture https;
  https.config.base_url = "https://blog.example.com";
  http::Response res = http::Response::html("page");
  core::add_response_headers(https.ctx, res);
  CHECK(header_of(res, "Strict-Transport-Security") == "max-age=31536000");
  core::add_response_headers(https.ctx, res);  // never twice
  CHECK(res.headers.size() == 2);

  Fixture http_site;
  http_site.config.base_url = "http://blog.example.com";
  http::Response plain = http::Response::html("page");
  core::add_response_headers(http_site.ctx, plain);
  CHECK(header_of(plain, "Strict-Transport-Security").empty());
}

TEST_CASE("response headers: through the pipeline, on pages, errors and refusals") {
  Site https("https://blog.example.com");
  Site plain("http://127.0.0.1:8080");
  for (Site* site : {&https, &plain}) {
    const bool hsts = site == &https;
    CAPTURE(hsts);
    http::Response page = site->get("/");
    CHECK(page.status == 200);
    CHECK(header_of(page, "Cache-Control").empty());
    CHECK(header_of(page, "Strict-Transport-Security").empty() != hsts);

    http::Response form = site->get("/form");
    CHECK(form.status == 200);
    CHECK(header_of(form, "Cache-Control") == "no-store");
    CHECK(header_of(form, "Strict-Transport-Security").empty() != hsts);

    // A logged-in client's request (no identify plugged in: the cookie counts).
    http::Response mine = site->get("/", std::string(core::kSessionCookie) + "=abc");
    CHECK(header_of(mine, "Cache-Control") == "no-store");

    http::Response missing = site->get("/nope");
    CHECK(missing.status == 404);
    CHECK(header_of(missing, "Strict-Transport-Security").empty() != hsts);

    http::Request malformed;
    malformed.path = "/";
    malformed.refused = 400;
    malformed.cookies.add(std::string(core::kSessionCookie), "abc");
    http::Response refused = site->dispatcher->handle(malformed);
    CHECK(refused.status == 400);
    CHECK(header_of(refused, "Cache-Control") == "no-store");
    CHECK(header_of(refused, "Strict-Transport-Security").empty() != hsts);
  }
}
