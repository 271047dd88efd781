// core::request_from_params: FastCGI parameters and body → http::Request.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/fcgi_request.hpp"

namespace http = inkwell::http;

namespace {

// Builds libfcgi's envp from "NAME=value" strings and feeds body on demand.
http::Request request(std::vector<std::string> params, std::string_view body = "") {
  std::vector<char*> envp;
  for (std::string& p : params) envp.push_back(p.data());
  envp.push_back(nullptr);
  std::size_t offset = 0;
  return inkwell::core::request_from_params(envp.data(), [&](char* buf, int n) {
    const std::size_t got = std::min(static_cast<std::size_t>(n), body.size() - offset);
    std::memcpy(buf, body.data() + offset, got);
    offset += got;
    return static_cast<int>(got);
  });
}

}  // namespace

TEST_SUITE("fcgi_request") {
  TEST_CASE("a GET: method, path, query, headers and cookies") {
    http::Request r = request({"REQUEST_METHOD=GET", "DOCUMENT_URI=/user/john",
                               "QUERY_STRING=page=2&q=caf%C3%A9", "REMOTE_ADDR=10.0.0.1",
                               "HTTP_USER_AGENT=curl/7.88", "HTTP_COOKIE=session=abc; csrf=x",
                               "HTTP_X_FORWARDED_FOR=1.2.3.4", "SCRIPT_NAME=/ignored"});
    CHECK(r.refused == 0);
    CHECK(r.refused_reason.empty());
    CHECK(r.method == http::GET);
    CHECK(r.method_name == "GET");
    CHECK(r.path == "/user/john");
    CHECK(r.query.get("page") == "2");
    CHECK(r.query.get("q") == "caf\xc3\xa9");
    CHECK(r.remote_addr == "10.0.0.1");
    CHECK(r.header("user-agent") == "curl/7.88");
    CHECK(r.header("x-forwarded-for") == "1.2.3.4");
    CHECK_FALSE(r.headers.has("script-name"));
    CHECK(r.cookies.get("session") == "abc");
    CHECK(r.cookies.get("csrf") == "x");
  }

  TEST_CASE("no DOCUMENT_URI means /; no parameters at all is a GET of /") {
    http::Request r = request({});
    CHECK(r.refused == 0);
    CHECK(r.path == "/");
    CHECK(r.method == http::OTHER);  // no REQUEST_METHOD is not a GET
  }

  TEST_CASE("a urlencoded POST fills the form; charset parameters are ignored") {
    http::Request r = request(
        {"REQUEST_METHOD=POST", "DOCUMENT_URI=/auth/login",
         "CONTENT_TYPE=application/x-www-form-urlencoded; charset=utf-8", "CONTENT_LENGTH=20"},
        "email=a%40b.c&pw=x+y");
    CHECK(r.refused == 0);
    CHECK(r.body == "email=a%40b.c&pw=x+y");
    CHECK(r.form.get("email") == "a@b.c");
    CHECK(r.form.get("pw") == "x y");
    CHECK(r.header("content-type") == "application/x-www-form-urlencoded; charset=utf-8");
  }

  TEST_CASE("a JSON body is read but not parsed as a form") {
    http::Request r =
        request({"REQUEST_METHOD=POST", "CONTENT_TYPE=application/json", "CONTENT_LENGTH=12"},
                "{\"body\":\"x\"}");
    CHECK(r.refused == 0);
    CHECK(r.body == "{\"body\":\"x\"}");
    CHECK(r.form.empty());
  }

  TEST_CASE("malformed requests are refused with 400") {
    for (auto params : std::vector<std::vector<std::string>>{
             {"DOCUMENT_URI=/\xff"},                      // path not UTF-8
             {"QUERY_STRING=a=%zz"},                      // bad escape
             {"QUERY_STRING=a=%00"},                      // NUL
             {"CONTENT_LENGTH=-1"},                       // sign
             {"CONTENT_LENGTH=12x"},                      // junk
             {"CONTENT_LENGTH= 1"},                       // space
             {"CONTENT_LENGTH=99999999999999999999999"},  // overflow
             {"CONTENT_LENGTH=10"},                       // body shorter than announced
         }) {
      http::Request r = request(params, "short");
      CAPTURE(params.front());
      CHECK(r.refused == 400);
      CHECK(r.refused_reason == "malformed request");
    }
    http::Request form =
        request({"CONTENT_TYPE=application/x-www-form-urlencoded", "CONTENT_LENGTH=4"}, "a=%4");
    CHECK(form.refused == 400);
  }

  TEST_CASE("a body over the limit is refused with 413 before it is read") {
    bool read = false;
    std::string length = "CONTENT_LENGTH=" + std::to_string(http::kMaxBody + 1);
    std::vector<char*> envp{length.data(), nullptr};
    http::Request r = inkwell::core::request_from_params(envp.data(), [&](char*, int) {
      read = true;
      return 0;
    });
    CHECK(r.refused == 413);
    CHECK(r.refused_reason == "request body too large");
    CHECK_FALSE(read);
    CHECK(request({"CONTENT_LENGTH=" + std::to_string(http::kMaxBody)},
                  std::string(http::kMaxBody, 'x'))
              .refused == 0);
  }

  TEST_CASE("a read error is a 400") {
    std::string length = "CONTENT_LENGTH=3";
    std::vector<char*> envp{length.data(), nullptr};
    http::Request r =
        inkwell::core::request_from_params(envp.data(), [](char*, int) { return -1; });
    CHECK(r.refused == 400);
  }
}
