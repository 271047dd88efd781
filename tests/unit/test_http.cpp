#include <doctest/doctest.h>

#include <cstdint>
#include <ctime>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/http.hpp"

namespace http = inkwell::http;
using namespace std::string_literals;

namespace {

// Count of occurrences of needle in haystack.
std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

int http_status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const http::HttpError& e) {
    return e.status;
  }
  return 0;
}

http::Request request_with_param(std::string name, std::string value) {
  http::Request r;
  r.path_params.add(std::move(name), std::move(value));
  return r;
}

}  // namespace

// ---- Params ----------------------------------------------------------------

TEST_CASE("Params: add, find, get, has, order") {
  http::Params p;
  CHECK(p.empty());
  CHECK(p.find("a") == nullptr);
  CHECK(p.get("a") == "");
  CHECK(p.get("a", "dflt") == "dflt");
  CHECK_FALSE(p.has("a"));

  p.add("a", "1");
  p.add("b", "2");
  p.add("a", "3");
  CHECK_FALSE(p.empty());
  REQUIRE(p.find("a") != nullptr);
  CHECK(*p.find("a") == "1");  // first wins
  CHECK(p.get("a") == "1");
  CHECK(p.get("b", "x") == "2");
  CHECK(p.has("b"));
  CHECK_FALSE(p.has("A"));  // case-sensitive
  REQUIRE(p.items().size() == 3);
  CHECK(p.items()[2].first == "a");
  CHECK(p.items()[2].second == "3");
}

TEST_CASE("Params: empty value is present, not absent") {
  http::Params p;
  p.add("k", "");
  CHECK(p.has("k"));
  CHECK(p.get("k", "fallback") == "");
}

// ---- percent_decode --------------------------------------------------------

TEST_CASE("percent_decode: plain and encoded input") {
  CHECK(http::percent_decode("", false) == ""s);
  CHECK(http::percent_decode("abc", false) == "abc"s);
  CHECK(http::percent_decode("a%20b", false) == "a b"s);
  CHECK(http::percent_decode("%41%42%43", false) == "ABC"s);
  CHECK(http::percent_decode("%e2%82%ac", false) == "\xE2\x82\xAC"s);  // lower-case hex
  CHECK(http::percent_decode("%E2%82%AC", false) == "\xE2\x82\xAC"s);
  CHECK(http::percent_decode("%25", false) == "%"s);
  CHECK(http::percent_decode("%2525", false) == "%25"s);  // decoded once only
  CHECK(http::percent_decode("%00", false) == std::string(1, '\0'));
}

TEST_CASE("percent_decode: plus handling") {
  CHECK(http::percent_decode("a+b", true) == "a b"s);
  CHECK(http::percent_decode("a+b", false) == "a+b"s);
  CHECK(http::percent_decode("%2B", true) == "+"s);
  CHECK(http::percent_decode("+++", true) == "   "s);
}

TEST_CASE("percent_decode: malformed sequences are rejected") {
  for (const char* bad : {"%", "%4", "%zz", "%g0", "%0g", "abc%", "abc%4", "%%", "%%41", "a%2",
                          "%+1", "% 1", "%-1", "%\xC3\xA9"}) {
    CAPTURE(bad);
    CHECK_FALSE(http::percent_decode(bad, false).has_value());
    CHECK_FALSE(http::percent_decode(bad, true).has_value());
  }
}

TEST_CASE("percent_decode: huge input") {
  const std::string in(1 << 20, 'x');
  const auto out = http::percent_decode(in, true);
  REQUIRE(out.has_value());
  CHECK(out->size() == in.size());

  std::string enc;
  for (int i = 0; i < 100000; ++i) enc += "%41";
  const auto dec = http::percent_decode(enc, false);
  REQUIRE(dec.has_value());
  CHECK(*dec == std::string(100000, 'A'));

  enc += "%4";  // truncated at the very end
  CHECK_FALSE(http::percent_decode(enc, false).has_value());
}

// ---- url_encode ------------------------------------------------------------

TEST_CASE("url_encode: unreserved characters stay, the rest is encoded") {
  CHECK(http::url_encode("") == "");
  CHECK(http::url_encode("abcXYZ019-._~") == "abcXYZ019-._~");
  CHECK(http::url_encode(" ") == "%20");
  CHECK(http::url_encode("a b&c=d/e?f#g") == "a%20b%26c%3Dd%2Fe%3Ff%23g");
  CHECK(http::url_encode("+%") == "%2B%25");
  CHECK(http::url_encode("\xE2\x82\xAC") == "%E2%82%AC");
  CHECK(http::url_encode(std::string_view("a\0b", 3)) == "a%00b");
  CHECK(http::url_encode("\r\n") == "%0D%0A");
}

TEST_CASE("url_encode: does not read past a non-terminated view") {
  const char buf[] = {'a', 'b', ' ', 'c'};
  CHECK(http::url_encode(std::string_view(buf, 3)) == "ab%20");
  CHECK(http::url_encode(std::string_view(buf, 0)) == "");
}

TEST_CASE("url_encode and percent_decode round-trip every byte") {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  const std::string enc = http::url_encode(all);
  CHECK(enc.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%") ==
        std::string::npos);
  CHECK(http::percent_decode(enc, false) == all);
  CHECK(http::percent_decode(enc, true) == all);
}

TEST_CASE("url_encode: huge input (larger than one libcurl chunk)") {
  const std::string in(3 * (1 << 20) + 17, ' ');
  const std::string enc = http::url_encode(in);
  CHECK(enc.size() == in.size() * 3);
  CHECK(enc.substr(0, 6) == "%20%20");
  CHECK(http::percent_decode(enc, false) == in);
}

// ---- valid_utf8 ------------------------------------------------------------

TEST_CASE("valid_utf8: well-formed input") {
  CHECK(http::valid_utf8(""));
  CHECK(http::valid_utf8("plain ascii"));
  CHECK(http::valid_utf8(std::string_view("\0", 1)));  // NUL is valid UTF-8 (checked elsewhere)
  CHECK(http::valid_utf8("\xC3\xA9"));                 // é
  CHECK(http::valid_utf8("\xC2\x80"));                 // U+0080, smallest 2-byte
  CHECK(http::valid_utf8("\xDF\xBF"));                 // U+07FF
  CHECK(http::valid_utf8("\xE0\xA0\x80"));             // U+0800, smallest 3-byte
  CHECK(http::valid_utf8("\xE2\x82\xAC"));             // €
  CHECK(http::valid_utf8("\xED\x9F\xBF"));             // U+D7FF, just below surrogates
  CHECK(http::valid_utf8("\xEE\x80\x80"));             // U+E000, just above surrogates
  CHECK(http::valid_utf8("\xEF\xBF\xBF"));             // U+FFFF
  CHECK(http::valid_utf8("\xF0\x90\x80\x80"));         // U+10000, smallest 4-byte
  CHECK(http::valid_utf8("\xF0\x9F\x98\x80"));         // 😀
  CHECK(http::valid_utf8("\xF4\x8F\xBF\xBF"));         // U+10FFFF, the last code point
  CHECK(http::valid_utf8("a\xC3\xA9z\xF0\x9F\x98\x80!"));
}

TEST_CASE("valid_utf8: after ASCII of any length, at and across the 8-byte words it skips") {
  for (std::size_t k = 0; k <= 24; ++k) {
    const std::string ascii(k, 'a');
    CAPTURE(k);
    CHECK_FALSE(http::valid_utf8(ascii + "\xFF"));
    CHECK_FALSE(http::valid_utf8(ascii + "\xFF" + std::string(9, 'b')));
    CHECK_FALSE(http::valid_utf8(ascii + "\xC0\xAF"));      // overlong
    CHECK_FALSE(http::valid_utf8(ascii + "\xED\xA0\x80"));  // surrogate
    CHECK_FALSE(http::valid_utf8(ascii + "\xE2\x82"));      // cut short
    CHECK(http::valid_utf8(ascii + "\xE2\x82\xAC" + std::string(9, 'b')));
    CHECK(http::valid_utf8(ascii));
  }
}

TEST_CASE("valid_utf8: ill-formed input") {
  for (const char* bad : {
           "\xC3\x28",          // bad continuation
           "\xC0\xAF",          // overlong '/'
           "\xC1\xBF",          // overlong
           "\xC0\x80",          // overlong NUL
           "\xE0\x80\xAF",      // overlong 3-byte
           "\xE0\x9F\xBF",      // overlong 3-byte (U+07FF)
           "\xF0\x80\x80\xAF",  // overlong 4-byte
           "\xF0\x8F\xBF\xBF",  // overlong 4-byte (U+FFFF)
           "\xED\xA0\x80",      // U+D800 surrogate
           "\xED\xBF\xBF",      // U+DFFF surrogate
           "\xF4\x90\x80\x80",  // U+110000
           "\xF5\x80\x80\x80",  // lead byte beyond range
           "\xFF",              // never valid
           "\xFE",              // never valid
           "\x80",              // lone continuation
           "\xBF",              // lone continuation
           "\xC3",              // truncated 2-byte
           "\xE2\x82",          // truncated 3-byte
           "\xF0\x9F\x98",      // truncated 4-byte
           "a\xE2\x82",         // truncated at the end
           "\xE2\x82z",         // interrupted by ASCII
           "\xF0\x9F\x98z",     // interrupted by ASCII
           "\xE2\x28\xA1",      // bad second byte
           "\xE2\x82\x28",      // bad third byte
       }) {
    CAPTURE(std::string_view(bad));
    CHECK_FALSE(http::valid_utf8(bad));
  }
}

// ---- parse_urlencoded ------------------------------------------------------

TEST_CASE("parse_urlencoded: ordinary forms") {
  const auto p = http::parse_urlencoded("a=1&b=hello+world&c=%C3%A9t%C3%A9&d=x%3Dy%26z");
  REQUIRE(p.has_value());
  CHECK(p->items().size() == 4);
  CHECK(p->get("a") == "1");
  CHECK(p->get("b") == "hello world");
  CHECK(p->get("c") == "\xC3\xA9t\xC3\xA9");
  CHECK(p->get("d") == "x=y&z");
}

TEST_CASE("parse_urlencoded: names are decoded too") {
  const auto p = http::parse_urlencoded("first+name=Jo&x%5B%5D=1");
  REQUIRE(p.has_value());
  CHECK(p->get("first name") == "Jo");
  CHECK(p->get("x[]") == "1");
}

TEST_CASE("parse_urlencoded: empty and degenerate input") {
  for (const char* in : {"", "&", "&&&", "=", "==", "=x", "&=&", "=&="}) {
    CAPTURE(in);
    const auto p = http::parse_urlencoded(in);
    REQUIRE(p.has_value());
    CHECK(p->empty());
  }
}

TEST_CASE("parse_urlencoded: missing '=' or value") {
  const auto p = http::parse_urlencoded("flag&k=&&z");
  REQUIRE(p.has_value());
  REQUIRE(p->items().size() == 3);
  CHECK(p->has("flag"));
  CHECK(p->get("flag", "x") == "");
  CHECK(p->get("k", "x") == "");
  CHECK(p->has("z"));
}

TEST_CASE("parse_urlencoded: only the first '=' splits") {
  const auto p = http::parse_urlencoded("a=b=c&d==");
  REQUIRE(p.has_value());
  CHECK(p->get("a") == "b=c");
  CHECK(p->get("d") == "=");
}

TEST_CASE("parse_urlencoded: repeated keys keep order, first wins for get") {
  const auto p = http::parse_urlencoded("tag=a&tag=b&other=1&tag=c");
  REQUIRE(p.has_value());
  CHECK(p->get("tag") == "a");
  REQUIRE(p->items().size() == 4);
  CHECK(p->items()[1].second == "b");
  CHECK(p->items()[3].second == "c");
}

TEST_CASE("parse_urlencoded: hostile input is rejected") {
  for (const char* bad : {
           "a=%",             // truncated
           "a=%4",            // truncated
           "a=%zz",           // not hex
           "a=1&b=%",         // one bad pair spoils the lot
           "%=1",             // bad name
           "a%2=1",           // bad name
           "a=%00",           // NUL in value
           "a=x%00y",         // NUL in value
           "%00=1",           // NUL in name
           "a=%C3%28",        // invalid UTF-8
           "a=%C0%AF",        // overlong
           "a=%ED%A0%80",     // surrogate
           "a=%F4%90%80%80",  // > U+10FFFF
           "a=%E2%82",        // truncated UTF-8
           "%FF=1",           // invalid UTF-8 in name
       }) {
    CAPTURE(bad);
    CHECK_FALSE(http::parse_urlencoded(bad).has_value());
  }
  CHECK_FALSE(http::parse_urlencoded(std::string_view("a=x\0y", 5)).has_value());  // raw NUL
  CHECK_FALSE(http::parse_urlencoded("a=\xC3\x28").has_value());                   // raw bad UTF-8
}

TEST_CASE("parse_urlencoded: raw (unencoded) UTF-8 is accepted") {
  const auto p = http::parse_urlencoded("name=\xC3\xA9");
  REQUIRE(p.has_value());
  CHECK(p->get("name") == "\xC3\xA9");
}

TEST_CASE("parse_urlencoded: huge input") {
  std::string body;
  body.reserve(http::kMaxBody + 16);
  while (body.size() < http::kMaxBody) body += "k=v&";
  const auto p = http::parse_urlencoded(body);
  REQUIRE(p.has_value());
  CHECK(p->items().size() == body.size() / 4);

  const std::string big_value = "text=" + std::string(http::kMaxBody, 'a');
  const auto q = http::parse_urlencoded(big_value);
  REQUIRE(q.has_value());
  CHECK(q->get("text").size() == http::kMaxBody);

  CHECK_FALSE(http::parse_urlencoded(body + "bad=%").has_value());
  CHECK(http::parse_urlencoded(std::string(100000, '&'))->empty());
}

// ---- parse_cookies ---------------------------------------------------------

TEST_CASE("parse_cookies: ordinary header") {
  const auto c = http::parse_cookies("a=1; b=2;c=3");
  REQUIRE(c.items().size() == 3);
  CHECK(c.get("a") == "1");
  CHECK(c.get("b") == "2");
  CHECK(c.get("c") == "3");
}

TEST_CASE("parse_cookies: values are raw, not decoded") {
  const auto c = http::parse_cookies("s=a%20b+c; t=x=y");
  CHECK(c.get("s") == "a%20b+c");
  CHECK(c.get("t") == "x=y");
}

TEST_CASE("parse_cookies: spaces trimmed, quotes stripped") {
  const auto c = http::parse_cookies("  a = 1  ;\tb=\"quoted\"; c=\"\"; d=\"; e=\"x");
  CHECK(c.get("a") == "1");
  CHECK(c.get("b") == "quoted");
  CHECK(c.get("c", "?") == "");
  CHECK(c.get("d") == "\"");   // a lone quote is not a quoted string
  CHECK(c.get("e") == "\"x");  // unbalanced quote kept
}

TEST_CASE("parse_cookies: junk is skipped, never fatal") {
  CHECK(http::parse_cookies("").empty());
  CHECK(http::parse_cookies(";").empty());
  CHECK(http::parse_cookies(" ; ; ").empty());
  CHECK(http::parse_cookies("=x").empty());
  CHECK(http::parse_cookies(" =x").empty());
  CHECK(http::parse_cookies("novalue").empty());

  const auto c = http::parse_cookies("; ;=x; a");
  CHECK(c.empty());

  const auto d = http::parse_cookies("; ;=x; a; good=1;;bad; =2; empty=");
  REQUIRE(d.items().size() == 2);
  CHECK(d.get("good") == "1");
  CHECK(d.has("empty"));
  CHECK(d.get("empty", "?") == "");
}

TEST_CASE("parse_cookies: repeated names keep the first") {
  const auto c = http::parse_cookies("session=first; session=second");
  CHECK(c.get("session") == "first");
  CHECK(c.items().size() == 2);
}

TEST_CASE("parse_cookies: binary and huge input") {
  const std::string junk = "a=\0\xFF\x01; b=2"s;
  const auto c = http::parse_cookies(junk);
  CHECK(c.get("b") == "2");
  CHECK(c.get("a") == "\0\xFF\x01"s);  // raw: validation is the caller's job

  std::string big;
  for (int i = 0; i < 50000; ++i) big += "k" + std::to_string(i) + "=v; ";
  const auto d = http::parse_cookies(big);
  CHECK(d.items().size() == 50000);
  CHECK(d.get("k49999") == "v");
}

// ---- methods ---------------------------------------------------------------

TEST_CASE("method_from_string") {
  CHECK(http::method_from_string("GET") == http::GET);
  CHECK(http::method_from_string("POST") == http::POST);
  CHECK(http::method_from_string("PUT") == http::PUT);
  CHECK(http::method_from_string("DELETE") == http::DELETE);
  CHECK(http::method_from_string("HEAD") == http::HEAD);
  CHECK(http::method_from_string("PATCH") == http::OTHER);
  CHECK(http::method_from_string("OPTIONS") == http::OTHER);
  CHECK(http::method_from_string("get") == http::OTHER);  // methods are case-sensitive
  CHECK(http::method_from_string("") == http::OTHER);
  CHECK(http::method_from_string("GET ") == http::OTHER);
}

TEST_CASE("methods_to_string") {
  CHECK(http::methods_to_string(0) == "");
  CHECK(http::methods_to_string(http::GET) == "GET");
  CHECK(http::methods_to_string(http::POST | http::GET) == "GET, POST");
  CHECK(http::methods_to_string(http::HEAD | http::DELETE | http::PUT | http::POST | http::GET) ==
        "GET, POST, PUT, DELETE, HEAD");
  CHECK(http::methods_to_string(http::DELETE | http::HEAD) == "DELETE, HEAD");
  CHECK(http::methods_to_string(http::OTHER | http::PUT) == "PUT");
}

// ---- Request ---------------------------------------------------------------

TEST_CASE("Request::param") {
  const auto r = request_with_param("username", "john");
  CHECK(r.param("username") == "john");
  CHECK(&r.param("username") == r.path_params.find("username"));
  CHECK(http_status_of([&] { (void)r.param("missing"); }) == 404);
}

TEST_CASE("Request::param_int: accepted values") {
  CHECK(request_with_param("id", "1").param_int("id") == 1);
  CHECK(request_with_param("id", "42").param_int("id") == 42);
  CHECK(request_with_param("id", "0").param_int("id") == 0);
  CHECK(request_with_param("id", "007").param_int("id") == 7);
  CHECK(request_with_param("id", "9223372036854775807").param_int("id") == INT64_MAX);
}

TEST_CASE("Request::param_int: invalid values are 404") {
  for (const char* bad : {"", "-1", "-0", "+1", "1a", "a1", " 1", "1 ", "1.0", "0x10", "1e3",
                          "9223372036854775808", "99999999999999999999", "\xD9\xA1"}) {
    CAPTURE(bad);
    const auto r = request_with_param("id", bad);
    CHECK(http_status_of([&] { (void)r.param_int("id"); }) == 404);
  }
  const http::Request none;
  CHECK(http_status_of([&] { (void)none.param_int("id"); }) == 404);
}

TEST_CASE("Request::header and wants_json") {
  http::Request r;
  CHECK(r.header("accept") == "");
  CHECK_FALSE(r.wants_json());

  r.headers.add("accept", "application/json");
  CHECK(r.header("accept") == "application/json");
  CHECK(r.wants_json());

  http::Request browser;
  browser.headers.add("accept", "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8");
  CHECK_FALSE(browser.wants_json());

  http::Request any;
  any.headers.add("accept", "*/*");
  CHECK_FALSE(any.wants_json());

  http::Request weighted;
  weighted.headers.add("accept", "application/json; q=1.0, */*;q=0.1");
  CHECK(weighted.wants_json());

  http::Request upper;
  upper.headers.add("accept", "Application/JSON");
  CHECK(upper.wants_json());
}

TEST_CASE("media_type: lower-cased, without parameters or whitespace") {
  CHECK(http::media_type("application/x-www-form-urlencoded") ==
        "application/x-www-form-urlencoded");
  CHECK(http::media_type("Application/X-WWW-Form-Urlencoded; Charset=UTF-8") ==
        "application/x-www-form-urlencoded");
  CHECK(http::media_type(" application/json ; charset=utf-8") == "application/json");
  CHECK(http::media_type("\tText/Plain\t") == "text/plain");
  CHECK(http::media_type("multipart/form-data; boundary=XyZ") == "multipart/form-data");
  CHECK(http::media_type("application/x-www-form-urlencodedx") ==
        "application/x-www-form-urlencodedx");
  CHECK(http::media_type("") == "");
  CHECK(http::media_type(";charset=utf-8") == "");
  CHECK(http::media_type("   ") == "");
}

// ---- cookies ---------------------------------------------------------------

TEST_CASE("serialize_cookie: defaults are a secure-by-default session cookie") {
  http::Cookie c;
  c.name = "session";
  c.value = "abc123";
  CHECK(http::serialize_cookie(c) == "session=abc123; Path=/; HttpOnly; SameSite=Lax");
}

namespace {

// serialize_cookie(c) computes Expires from the clock: build the expected
// strings for every second the call may have seen.
bool serialized_as(const http::Cookie& c, std::string_view before_expires,
                   std::string_view after_expires) {
  const std::time_t t0 = std::time(nullptr);
  const std::string s = http::serialize_cookie(c);
  const std::time_t t1 = std::time(nullptr);
  for (std::time_t t = t0; t <= t1; ++t) {
    const std::time_t when = t + *c.max_age;
    std::tm tm{};
    gmtime_r(&when, &tm);
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (s == std::string(before_expires) + date + std::string(after_expires)) return true;
  }
  MESSAGE("got: " << s);
  return false;
}

}  // namespace

TEST_CASE("serialize_cookie: all attributes") {
  http::Cookie c;
  c.name = "remember_token";
  c.value = "tok";
  c.path = "/auth";
  c.max_age = 365L * 24 * 3600;
  c.secure = true;
  c.same_site = "Strict";
  CHECK(serialized_as(c, "remember_token=tok; Path=/auth; Max-Age=31536000; Expires=",
                      "; HttpOnly; Secure; SameSite=Strict"));
}

TEST_CASE("serialize_cookie: Expires is now + Max-Age") {
  http::Cookie c;
  c.name = "n";
  c.value = "v";
  for (long age : {0L, 1L, 3600L, 86400L * 400, -60L}) {
    CAPTURE(age);
    c.max_age = age;
    CHECK(serialized_as(c, "n=v; Path=/; Max-Age=" + std::to_string(age) + "; Expires=",
                        "; HttpOnly; SameSite=Lax"));
  }
}

TEST_CASE("serialize_cookie: flags off and optional parts omitted") {
  http::Cookie c;
  c.name = "prefs";
  c.value = "";
  c.http_only = false;
  c.same_site = "";
  CHECK(http::serialize_cookie(c) == "prefs=; Path=/");

  c.path = "";
  CHECK(http::serialize_cookie(c) == "prefs=");

  c.max_age = 0;
  const std::string s = http::serialize_cookie(c);
  CHECK(s.rfind("prefs=; Max-Age=0; Expires=", 0) == 0);
  CHECK(s.find("HttpOnly") == std::string::npos);
  CHECK(s.find("SameSite") == std::string::npos);
  CHECK(s.find("Secure") == std::string::npos);
}

TEST_CASE("serialize_cookie: extreme Max-Age does not overflow") {
  http::Cookie c;
  c.name = "n";
  c.value = "v";
  c.max_age = std::numeric_limits<long>::max();
  const std::string far = http::serialize_cookie(c);
  CHECK(far.find("Expires=Fri, 31 Dec 9999 23:59:59 GMT") != std::string::npos);

  c.max_age = std::numeric_limits<long>::min();
  const std::string past = http::serialize_cookie(c);
  CHECK(past.find("Expires=Thu, 01 Jan 1970 00:00:00 GMT") != std::string::npos);
}

TEST_CASE("serialize_cookie: attribute injection is refused") {
  auto make = [](std::string name, std::string value) {
    http::Cookie c;
    c.name = std::move(name);
    c.value = std::move(value);
    return c;
  };
  CHECK_THROWS_AS(http::serialize_cookie(make("", "v")), std::invalid_argument);
  CHECK_THROWS_AS(http::serialize_cookie(make("a b", "v")), std::invalid_argument);
  CHECK_THROWS_AS(http::serialize_cookie(make("a=b", "v")), std::invalid_argument);
  CHECK_THROWS_AS(http::serialize_cookie(make("a;b", "v")), std::invalid_argument);
  CHECK_THROWS_AS(http::serialize_cookie(make("n", "v; Domain=evil.example")),
                  std::invalid_argument);
  CHECK_THROWS_AS(http::serialize_cookie(make("n", "v\r\nX-Evil: 1")), std::invalid_argument);
  CHECK_THROWS_AS(http::serialize_cookie(make("n", "a b")), std::invalid_argument);
  CHECK_THROWS_AS(http::serialize_cookie(make("n", "\"q\"")), std::invalid_argument);

  auto bad_path = make("n", "v");
  bad_path.path = "/; Domain=evil";
  CHECK_THROWS_AS(http::serialize_cookie(bad_path), std::invalid_argument);
  auto bad_site = make("n", "v");
  bad_site.same_site = "Lax\r\nX: y";
  CHECK_THROWS_AS(http::serialize_cookie(bad_site), std::invalid_argument);

  // Typical token alphabets (hex, base64, base64url, url-encoded) are fine.
  CHECK_NOTHROW(http::serialize_cookie(make("t", "aZ09+/=-_.%7E")));
}

// ---- reason phrases --------------------------------------------------------

TEST_CASE("reason_phrase") {
  CHECK(http::reason_phrase(200) == "OK");
  CHECK(http::reason_phrase(201) == "Created");
  CHECK(http::reason_phrase(204) == "No Content");
  CHECK(http::reason_phrase(301) == "Moved Permanently");
  CHECK(http::reason_phrase(302) == "Found");
  CHECK(http::reason_phrase(303) == "See Other");
  CHECK(http::reason_phrase(304) == "Not Modified");
  CHECK(http::reason_phrase(400) == "Bad Request");
  CHECK(http::reason_phrase(401) == "Unauthorized");
  CHECK(http::reason_phrase(403) == "Forbidden");
  CHECK(http::reason_phrase(404) == "Not Found");
  CHECK(http::reason_phrase(405) == "Method Not Allowed");
  CHECK(http::reason_phrase(409) == "Conflict");
  CHECK(http::reason_phrase(413) == "Payload Too Large");
  CHECK(http::reason_phrase(429) == "Too Many Requests");
  CHECK(http::reason_phrase(500) == "Internal Server Error");
  CHECK(http::reason_phrase(502) == "Bad Gateway");
  CHECK(http::reason_phrase(503) == "Service Unavailable");
  CHECK(http::reason_phrase(418) == "Unknown");
  CHECK(http::reason_phrase(0) == "Unknown");
  CHECK(http::reason_phrase(-1) == "Unknown");
  CHECK(http::reason_phrase(99999) == "Unknown");
}

// ---- Response --------------------------------------------------------------

TEST_CASE("Response::head: default Content-Type") {
  http::Response r;
  r.body = "<p>hi</p>";
  CHECK(r.head() == "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n");

  http::Response empty;  // 200 with an empty body still gets a type
  CHECK(empty.head() == "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n");
}

TEST_CASE("Response::head: headers in order, explicit Content-Type kept") {
  http::Response r;
  r.status = 404;
  r.header("X-A", "1");
  r.header("content-type", "text/plain");
  r.header("X-B", "2");
  CHECK(r.head() ==
        "Status: 404 Not Found\r\nX-A: 1\r\ncontent-type: text/plain\r\nX-B: 2\r\n\r\n");
}

TEST_CASE("Response::head: unknown status") {
  http::Response r;
  r.status = 418;
  CHECK(r.head().rfind("Status: 418 Unknown\r\n", 0) == 0);
}

TEST_CASE("Response::header: replaces same name, Set-Cookie repeats") {
  http::Response r = http::Response::json("{}");
  r.header("Content-Type", "application/problem+json");
  r.header("Set-Cookie", "a=1");
  r.header("set-cookie", "b=2");
  const std::string h = r.head();
  CHECK(count(h, "Content-Type") == 1);
  CHECK(h.find("Content-Type: application/problem+json\r\n") != std::string::npos);
  CHECK(count(h, "a=1") == 1);
  CHECK(count(h, "b=2") == 1);
}

TEST_CASE("Response::head: CRLF injection throws") {
  SUBCASE("value with CRLF") {
    http::Response r;
    r.header("X-Test", "ok\r\nSet-Cookie: evil=1");
    CHECK_THROWS_AS((void)r.head(), std::invalid_argument);
  }
  SUBCASE("value with bare LF") {
    http::Response r;
    r.header("X-Test", "ok\nevil");
    CHECK_THROWS_AS((void)r.head(), std::invalid_argument);
  }
  SUBCASE("value with bare CR") {
    http::Response r;
    r.header("X-Test", "ok\revil");
    CHECK_THROWS_AS((void)r.head(), std::invalid_argument);
  }
  SUBCASE("value with NUL") {
    http::Response r;
    r.header("X-Test", std::string("ok\0evil", 7));
    CHECK_THROWS_AS((void)r.head(), std::invalid_argument);
  }
  SUBCASE("name with CRLF") {
    http::Response r;
    r.header("X-Evil\r\nSet-Cookie", "1");
    CHECK_THROWS_AS((void)r.head(), std::invalid_argument);
  }
  SUBCASE("name with colon, space or empty") {
    for (const char* name : {"X:Y", "X Y", ""}) {
      CAPTURE(name);
      http::Response r;
      r.headers.emplace_back(name, "1");
      CHECK_THROWS_AS((void)r.head(), std::invalid_argument);
    }
  }
  SUBCASE("redirect to an injected location") {
    auto r = http::Response::redirect("/next\r\nSet-Cookie: session=stolen");
    CHECK_THROWS_AS((void)r.head(), std::invalid_argument);
  }
}

TEST_CASE("Response::redirect") {
  const auto r = http::Response::redirect("/auth/login?next=%2F");
  CHECK(r.status == 302);
  CHECK(r.body.empty());
  CHECK(r.head() == "Status: 302 Found\r\nLocation: /auth/login?next=%2F\r\n\r\n");

  const auto p = http::Response::redirect("/", 301);
  CHECK(p.head() == "Status: 301 Moved Permanently\r\nLocation: /\r\n\r\n");

  const auto s = http::Response::redirect("/x", 303);
  CHECK(s.head() == "Status: 303 See Other\r\nLocation: /x\r\n\r\n");
}

TEST_CASE("Response::head: redirect with a body gets a Content-Type") {
  auto r = http::Response::redirect("/");
  r.body = "moved";
  CHECK(r.head().find("Content-Type: text/html; charset=utf-8\r\n") != std::string::npos);
}

TEST_CASE("Response::head: 204 and 304 without body get no Content-Type") {
  http::Response r;
  r.status = 204;
  CHECK(r.head() == "Status: 204 No Content\r\n\r\n");
  r.status = 304;
  CHECK(r.head() == "Status: 304 Not Modified\r\n\r\n");
}

TEST_CASE("Response::html and Response::json") {
  const auto h = http::Response::html("<b>x</b>", 404);
  CHECK(h.status == 404);
  CHECK(h.body == "<b>x</b>");
  CHECK(h.head() == "Status: 404 Not Found\r\nContent-Type: text/html; charset=utf-8\r\n\r\n");

  const auto j = http::Response::json("{\"a\":1}");
  CHECK(j.status == 200);
  CHECK(j.body == "{\"a\":1}");
  CHECK(j.head() == "Status: 200 OK\r\nContent-Type: application/json\r\n\r\n");

  const auto e = http::Response::json("{}", 201);
  CHECK(e.head().rfind("Status: 201 Created\r\n", 0) == 0);
}

TEST_CASE("Response::set_cookie and delete_cookie") {
  http::Response r;
  http::Cookie c;
  c.name = "session";
  c.value = "id";
  r.set_cookie(c);
  r.delete_cookie("remember_token");
  r.delete_cookie("csrf", "/auth");
  REQUIRE(r.headers.size() == 3);
  CHECK(r.headers[0].first == "Set-Cookie");
  CHECK(r.headers[0].second == "session=id; Path=/; HttpOnly; SameSite=Lax");
  CHECK(r.headers[1].first == "Set-Cookie");
  CHECK(r.headers[1].second ==
        "remember_token=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; "
        "SameSite=Lax");
  CHECK(r.headers[2].second.rfind("csrf=; Path=/auth; Max-Age=0; ", 0) == 0);
  CHECK(count(r.head(), "Set-Cookie: ") == 3);

  CHECK_THROWS_AS(r.delete_cookie("a;b"), std::invalid_argument);
  CHECK_THROWS_AS(r.delete_cookie("a", "/\r\nX: y"), std::invalid_argument);
}

TEST_CASE("HttpError carries its status") {
  const http::HttpError e(403, "forbidden");
  CHECK(e.status == 403);
  CHECK(std::string(e.what()) == "forbidden");
  CHECK_THROWS_AS(throw http::HttpError(404), std::runtime_error);
}
