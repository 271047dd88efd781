// The live Markdown preview through nginx: POST /preview renders like posts
// do, wants the CSRF token and a login, refuses bad input, is limited per
// client address; the post, edit and comment forms offer it and a hint.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

const std::vector<std::string> kJson = {"Accept: application/json"};

Reply preview(Client& c, const std::string& token, const std::string& text) {
  return c.post("/preview", form_encode({{"csrf_token", token}, {"body", text}}),
                "application/x-www-form-urlencoded", kJson);
}

std::string html_of(const Reply& r) {
  return nlohmann::json::parse(r.body).at("html").get<std::string>();
}

const std::string kHint = "You can use <a href=\"https://commonmark.org/help/\">Markdown</a>";
const std::string kPreviewArea = "data-preview-url=\"/preview\"";

}  // namespace

TEST_CASE("preview: renders Markdown exactly as posts are, sanitised") {
  Client c;
  confirmed_user(c, "prev");
  const std::string token = csrf_token(c.get("/"));
  REQUIRE_FALSE(token.empty());
  Reply r = preview(c, token, "some *emphasis* & **strong**");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type").find("application/json") == 0);
  CHECK(html_of(r) == "<p>some <em>emphasis</em> &amp; <strong>strong</strong></p>");
  const std::string evil = html_of(preview(
      c, token, "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=y>"));
  CHECK(evil.find("<script") == std::string::npos);
  CHECK(evil.find("javascript:") == std::string::npos);
  CHECK(evil.find("onerror") == std::string::npos);
  CHECK(html_of(preview(c, token, "")) == "");
  // Nothing is stored: no post was made.
  CHECK(sql_count("SELECT COUNT(*) FROM posts WHERE body LIKE 'some *emphasis*%'") == 0);
}

TEST_CASE("preview: CSRF token and login required, bad input is 400") {
  Client c;
  confirmed_user(c, "prevbad");
  const std::string token = csrf_token(c.get("/"));
  CHECK(preview(c, "", "text").status == 400);
  CHECK(preview(c, "not-the-token", "text").status == 400);
  Reply missing = c.post("/preview", form_encode({{"csrf_token", token}}),
                         "application/x-www-form-urlencoded", kJson);
  CHECK(missing.status == 400);
  CHECK(nlohmann::json::parse(missing.body).at("error") == "bad request");
  Reply big = preview(c, token, std::string(65536, 'a'));
  CHECK(big.status == 400);
  CHECK(preview(c, token, std::string(65535, 'a')).status == 200);

  Client visitor;
  const std::string visitor_token = csrf_token(visitor.get("/auth/login"));
  REQUIRE_FALSE(visitor_token.empty());
  Reply r = preview(visitor, visitor_token, "text");
  CHECK(r.status != 200);
  CHECK_FALSE(r.contains("\"html\""));
}

TEST_CASE("preview: 60 a minute per client address, then 429") {
  Client c;
  confirmed_user(c, "prevrate");
  const std::string token = csrf_token(c.get("/"));
  // Two windows could split the burst if it started at a minute's end.
  int ok = 0;
  Reply last;
  for (int i = 0; i < 121 && (last = preview(c, token, "x")).status == 200; ++i) ++ok;
  CHECK(last.status == 429);
  CHECK(last.header("retry-after") == "60");
  CHECK(ok >= 60);
  CHECK(ok <= 120);
  // Another account from the same address shares the limit; another address does not.
  Client same_host(c.address());
  confirmed_user(same_host, "prevrate");
  CHECK(preview(same_host, csrf_token(same_host.get("/")), "x").status == 429);
  Client elsewhere;
  confirmed_user(elsewhere, "prevrate");
  CHECK(preview(elsewhere, csrf_token(elsewhere.get("/")), "x").status == 200);
  // The counters stay a row per address and window.
  CHECK(sql_count("SELECT COUNT(*) FROM rate_limits WHERE bucket = " +
                  sql_quote("preview:" + c.address())) <= 2);
}

TEST_CASE("preview: the post, edit and comment forms carry the hint and the preview") {
  Client c;
  confirmed_user(c, "prevform");
  Reply home = c.get("/");
  CHECK(home.contains(kHint));
  CHECK(home.contains(kPreviewArea));
  CHECK(home.contains("<div class=\"markdown-preview post-body\" id=\"body-preview\""));
  CHECK(home.contains("<script src=\"/static/preview.js\"></script>"));
  REQUIRE(submit(c, "/", {{"body", "preview form post"}}).status == 302);
  const std::string id = sql_value("SELECT MAX(id) FROM posts WHERE body = 'preview form post'");
  Reply edit = c.get("/edit/" + id);
  CHECK(edit.contains(kHint));
  CHECK(edit.contains(kPreviewArea));
  Reply post = c.get("/post/" + id);
  CHECK(post.contains(kHint));
  CHECK(post.contains(kPreviewArea));
  // Other textareas (the profile's About me) are plain.
  CHECK_FALSE(c.get("/edit-profile").contains(kPreviewArea));

  Reply script = c.get("/static/preview.js");
  CHECK(script.status == 200);
  CHECK(script.contains("DELAY_MS = 300"));
}
