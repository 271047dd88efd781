// api::body_field: the "body" of a JSON API request.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "api/json.hpp"

namespace {

// The HttpError status body_field throws, or 0 when it returns.
int status_of(std::string_view content_type, std::string_view body) {
  try {
    (void)inkwell::api::body_field(content_type, body, "post");
  } catch (const inkwell::http::HttpError& e) {
    return e.status;
  }
  return 0;
}

}  // namespace

TEST_SUITE("api json body") {
  TEST_CASE("the body field of a JSON object") {
    using inkwell::api::body_field;
    CHECK(body_field("application/json", R"({"body": "Hello *x*"})", "post") == "Hello *x*");
    CHECK(body_field(" Application/JSON ; charset=utf-8", R"({"body":"caf\u00e9","x":1})",
                     "post") == "caf\xc3\xa9");
  }

  TEST_CASE("another media type is 415") {
    CHECK(status_of("text/plain", R"({"body": "x"})") == 415);
    CHECK(status_of("", R"({"body": "x"})") == 415);
    CHECK(status_of("application/jsonx", R"({"body": "x"})") == 415);
  }

  TEST_CASE("malformed or unusable JSON is 400, with what was missing named") {
    for (std::string_view body :
         {"", "{", "[]", "\"body\"", R"({"body": 1})", R"({"body": null})", R"({"body": ""})",
          R"({"text": "x"})", R"({"body": "a\u0000b"})", "{\"body\": \"\xff\"}"}) {
      CAPTURE(body);
      CHECK(status_of("application/json", body) == 400);
    }
    try {
      (void)inkwell::api::body_field("application/json", "{}", "comment");
      FAIL("no exception");
    } catch (const inkwell::http::HttpError& e) {
      CHECK(std::string(e.what()) == "comment does not have a body");
    }
  }
}
