#include <doctest/doctest.h>

#include "core/router.hpp"

namespace {

inkwell::http::Response h1(inkwell::core::Context&) {
  return {};
}
inkwell::http::Response h2(inkwell::core::Context&) {
  return {};
}
inkwell::http::Response h3(inkwell::core::Context&) {
  return {};
}

inkwell::core::Router make_router() {
  using namespace inkwell::http;
  return inkwell::core::Router({
      {GET | POST, "/", h1, "main.index"},
      {GET, "/user/<username>", h2, "main.user"},
      {GET | POST, "/post/<int:id>", h3, "main.post"},
      {POST, "/follow/<username>", h2, "main.follow"},
      {GET, "/api/v1/posts/", h1, "api.posts"},
      {PUT, "/api/v1/posts/<int:id>", h2, "api.edit_post"},
      {GET, "/api/v1/posts/<int:id>", h3, "api.post"},
  });
}

}  // namespace

TEST_CASE("router matches literals and typed parameters") {
  auto r = make_router();
  inkwell::http::Params p;
  auto m = r.match(inkwell::http::GET, "/", p);
  REQUIRE(m.route);
  CHECK(m.route->name == "main.index");

  m = r.match(inkwell::http::GET, "/user/john.doe", p);
  REQUIRE(m.route);
  CHECK(m.route->name == "main.user");
  CHECK(p.get("username") == "john.doe");

  m = r.match(inkwell::http::POST, "/post/42", p);
  REQUIRE(m.route);
  CHECK(m.route->name == "main.post");
  CHECK(p.get("id") == "42");
}

TEST_CASE("int parameters accept digits only") {
  auto r = make_router();
  inkwell::http::Params p;
  for (const char* path :
       {"/post/abc", "/post/-1", "/post/4a", "/post/", "/post/1.5", "/post/12345678901234567890"}) {
    auto m = r.match(inkwell::http::GET, path, p);
    CHECK_MESSAGE(m.route == nullptr, path);
    CHECK(m.allowed == 0);
  }
}

TEST_CASE("no match is 404, wrong method is 405 with the allowed methods") {
  auto r = make_router();
  inkwell::http::Params p;
  auto m = r.match(inkwell::http::GET, "/nothing", p);
  CHECK(m.route == nullptr);
  CHECK(m.allowed == 0);

  m = r.match(inkwell::http::GET, "/follow/bob", p);
  CHECK(m.route == nullptr);
  CHECK(inkwell::http::methods_to_string(m.allowed) == "POST");

  m = r.match(inkwell::http::DELETE, "/api/v1/posts/3", p);
  CHECK(m.route == nullptr);
  CHECK(inkwell::http::methods_to_string(m.allowed) == "GET, PUT, HEAD");

  // Same path, two routes by method.
  m = r.match(inkwell::http::PUT, "/api/v1/posts/3", p);
  REQUIRE(m.route);
  CHECK(m.route->name == "api.edit_post");
}

TEST_CASE("HEAD is served by GET routes; trailing slashes are significant") {
  auto r = make_router();
  inkwell::http::Params p;
  auto m = r.match(inkwell::http::HEAD, "/user/x", p);
  REQUIRE(m.route);
  CHECK(r.match(inkwell::http::GET, "/api/v1/posts/", p).route != nullptr);
  CHECK(r.match(inkwell::http::GET, "/api/v1/posts", p).route == nullptr);
  CHECK(r.match(inkwell::http::GET, "/user/x/", p).route == nullptr);
  CHECK(r.match(inkwell::http::GET, "//user/x", p).route == nullptr);
  CHECK(r.match(inkwell::http::GET, "", p).route == nullptr);
}

TEST_CASE("url_for builds paths and encodes parameters") {
  auto r = make_router();
  CHECK(r.url_for("main.index") == "/");
  CHECK(r.url_for("main.user", {"john"}) == "/user/john");
  CHECK(r.url_for("main.user", {"a b/c"}) == "/user/a%20b%2Fc");
  CHECK(r.url_for("main.post", {"7"}) == "/post/7");
  CHECK(r.url_for("api.posts") == "/api/v1/posts/");
  CHECK_THROWS_AS(r.url_for("nope"), std::out_of_range);
  CHECK_THROWS_AS(r.url_for("main.user"), std::out_of_range);
  CHECK_THROWS_AS(r.url_for("main.index", {"x"}), std::out_of_range);
}

TEST_CASE("patterns must start with a slash") {
  using namespace inkwell::http;
  CHECK_THROWS_AS(inkwell::core::Router({{GET, "user", h1, "x"}}), std::invalid_argument);
}
