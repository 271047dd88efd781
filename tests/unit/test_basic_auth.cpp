// api::basic_credentials: the Authorization header of the JSON API.
#include <doctest/doctest.h>

#include <string>

#include "api/basic_auth.hpp"

namespace {

std::optional<inkwell::api::BasicCredentials> credentials(std::string header) {
  inkwell::http::Request req;
  req.headers.add("authorization", std::move(header));
  return inkwell::api::basic_credentials(req);
}

}  // namespace

TEST_SUITE("basic_auth") {
  TEST_CASE("email and password") {
    auto c = credentials("Basic am9obkBleGFtcGxlLmNvbTpjb3JyZWN0IGhvcnNl");
    REQUIRE(c);
    CHECK(c->name == "john@example.com");
    CHECK(c->password == "correct horse");
  }

  TEST_CASE("a token with an empty password; spaces around the credentials") {
    auto c = credentials("Basic   dG9rOg==  ");  // "tok:"
    REQUIRE(c);
    CHECK(c->name == "tok");
    CHECK(c->password.empty());
  }

  TEST_CASE("only the first ':' splits; the password may hold more") {
    auto c = credentials("Basic YTpiOmM=");  // "a:b:c"
    REQUIRE(c);
    CHECK(c->name == "a");
    CHECK(c->password == "b:c");
  }

  TEST_CASE("refused: no header, other schemes, bad base64, no ':' or no name") {
    inkwell::http::Request none;
    CHECK_FALSE(inkwell::api::basic_credentials(none));
    for (const char* bad : {"", "Basic", "Basic ", "basic YTpi", "Bearer YTpi", "BasicYTpi",
                            "Basic YTpi!", "Basic YTp", "Basic YQ==", "Basic OmI=", "Basic Og=="}) {
      CAPTURE(bad);
      CHECK_FALSE(credentials(bad));
    }
  }
}
