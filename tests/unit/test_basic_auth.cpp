// HTTP Basic credentials (RFC 7617) from the Authorization header.
#include <doctest/doctest.h>

#include "core/basic_auth.hpp"

using inkwell::http::basic_credentials;

TEST_CASE("basic auth: user and password, the scheme in any case") {
  // "alice@example.com:pass:word" in base64.
  const std::string encoded = "YWxpY2VAZXhhbXBsZS5jb206cGFzczp3b3Jk";
  for (const char* scheme : {"Basic ", "basic ", "BASIC "}) {
    auto c = basic_credentials(std::string(scheme) + encoded);
    REQUIRE(c.has_value());
    CHECK(c->user == "alice@example.com");
    CHECK(c->password == "pass:word");  // only the first colon separates
  }
  auto token = basic_credentials("Basic dG9rZW46");  // "token:"
  REQUIRE(token.has_value());
  CHECK(token->user == "token");
  CHECK(token->password.empty());
  CHECK(basic_credentials("Basic   " + encoded + "  ").has_value());
}

TEST_CASE("basic auth: anything else is no credentials") {
  for (const std::string& header :
       {std::string(), std::string("Basic"), std::string("Basic "), std::string("Basically x"),
        std::string("Bearer YWxpY2U6cHc="), std::string("Basic !!!"),
        std::string("Basic YWxpY2U="),  // "alice": no colon
        std::string("Basic OnB3"),      // ":pw": no user
        std::string("Basic YWxpY2U6cHc=%"), std::string("YWxpY2U6cHc=")}) {
    CAPTURE(header);
    CHECK(!basic_credentials(header).has_value());
  }
}

TEST_CASE("basic auth: the forms scripts send") {
  auto c = basic_credentials("Basic am9obkBleGFtcGxlLmNvbTpjb3JyZWN0IGhvcnNl");
  REQUIRE(c.has_value());
  CHECK(c->user == "john@example.com");
  CHECK(c->password == "correct horse");
  auto t = basic_credentials("Basic   dG9rOg==  ");  // "tok:"
  REQUIRE(t.has_value());
  CHECK(t->user == "tok");
  CHECK(t->password.empty());
  for (const char* bad :
       {"BasicYTpi", "Basic YTpi!", "Basic YTp", "Basic YQ==", "Basic OmI=", "Basic Og=="}) {
    CAPTURE(bad);
    CHECK(!basic_credentials(bad).has_value());
  }
}
