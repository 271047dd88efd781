// Response headers through nginx: the security headers every stack sends (the
// production snippet, nginx/security-headers.conf), Cache-Control: no-store on
// everything personal, HSTS only on an https site, pages that need no inline
// script or style, and the request's form Content-Type read case-insensitively.
#include <doctest/doctest.h>

#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

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
