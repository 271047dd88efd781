// The API's JSON shapes (api/json, written by core::JsonWriter): the members
// SPEC §6 names, in the order of their names, escaped as nlohmann::json
// (which wrote them before) writes them: its parse-and-dump of each text
// gives the same bytes back.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/json.hpp"
#include "core/json_writer.hpp"

namespace api = inkwell::api;
namespace models = inkwell::models;

namespace {

models::Post post(std::int64_t id, std::string body) {
  models::Post p;
  p.id = id;
  p.body = std::move(body);
  p.body_html = "<p>" + p.body + "</p>";
  p.timestamp = "2026-12-03T17:00:00Z";
  p.author_id = 7;
  p.author_username = "ann";
  p.comment_count = 3;
  return p;
}

models::Comment comment(bool disabled) {
  models::Comment c;
  c.id = 11;
  c.body = "nice \"one\"";
  c.body_html = "<p>nice &quot;one&quot;</p>";
  c.timestamp = "2026-12-03T17:01:00Z";
  c.disabled = disabled;
  c.author_id = 8;
  c.post_id = 5;
  return c;
}

// nlohmann::json's own text for the same value: keys sorted, its escapes.
std::string as_nlohmann_writes(const std::string& text) {
  return nlohmann::json::parse(text).dump();
}

}  // namespace

TEST_SUITE("api json") {
  TEST_CASE("a post: every member, in the order of their names") {
    const std::string text = api::post_json(post(5, "Hello"));
    CHECK(text == R"({"author_url":"/api/v1/users/7","body":"Hello","body_html":"<p>Hello</p>",)"
                  R"("comment_count":3,"comments_url":"/api/v1/posts/5/comments/",)"
                  R"("timestamp":"2026-12-03T17:00:00Z","url":"/api/v1/posts/5"})");
    CHECK(as_nlohmann_writes(text) == text);
  }

  TEST_CASE("escapes: quotes, backslashes, line breaks, tags and UTF-8 as nlohmann writes them") {
    for (const std::string& body :
         {std::string("say \"hi\" \\ back"), std::string("two\nlines\r\tand a tab"),
          std::string("</script><b>&amp;</b>"), std::string("caf\xc3\xa9 \xf0\x9f\x98\x80"),
          std::string("a/b"), std::string()}) {
      CAPTURE(body);
      const std::string text = api::post_json(post(1, body));
      CHECK(as_nlohmann_writes(text) == text);
      CHECK(nlohmann::json::parse(text)["body"] == body);
    }
    // Other control characters are \u escapes, in upper case (nlohmann's are
    // lower case): the same string to any JSON reader.
    const std::string text = api::post_json(post(1, std::string("bell\x07", 5)));
    CHECK(text.find(R"("body":"bell\u0007")") != std::string::npos);
    CHECK(nlohmann::json::parse(text)["body"] == std::string("bell\x07", 5));
  }

  TEST_CASE("text that is not UTF-8 is refused, not written") {
    CHECK_THROWS_AS(api::post_json(post(1, "bad \xff byte")), std::invalid_argument);
    CHECK_THROWS_AS(api::post_json(post(1, "cut \xc3")), std::invalid_argument);
    // Past the first words of ASCII, at and across an 8-byte boundary.
    for (const char* bad :
         {"0123456\xff", "01234567\xff", "0123456789abcdef\xc3", "01234567overlong \xc0\xaf",
          "0123456surrogate \xed\xa0\x80", "01234567past U+10FFFF \xf4\x90\x80\x80"}) {
      CHECK_THROWS_AS(api::post_json(post(1, bad)), std::invalid_argument);
    }
  }

  TEST_CASE("UTF-8 after ASCII of any length is written as it is") {
    for (const std::string good : {"\xe2\x82\xac", "0123456\xe2\x82\xac", "01234567\xe2\x82\xac",
                                   "0123456789abcdef \xf0\x9f\x98\x80 and after, 0123456789"}) {
      const std::string text = api::post_json(post(1, good));
      CHECK(nlohmann::json::parse(text)["body"] == good);
      CHECK(text.find(good) != std::string::npos);
    }
  }

  TEST_CASE("a page of posts: items, count and both links, or null") {
    const std::vector<models::Post> posts{post(9, "nine"), post(8, "eight")};
    const std::string middle =
        api::posts_page(posts, inkwell::core::paginate(2, 2, 6), "/api/v1/posts/");
    CHECK(as_nlohmann_writes(middle) == middle);
    const nlohmann::json j = nlohmann::json::parse(middle);
    CHECK(j["count"] == 6);
    CHECK(j["prev"] == "/api/v1/posts/?page=1");
    CHECK(j["next"] == "/api/v1/posts/?page=3");
    REQUIRE(j["posts"].size() == 2);
    CHECK(j["posts"][0]["url"] == "/api/v1/posts/9");
    CHECK(j["posts"][1]["body"] == "eight");

    const std::string only = api::posts_page({}, inkwell::core::paginate(1, 20, 0), "/x/");
    CHECK(only == R"({"count":0,"next":null,"posts":[],"prev":null})");
  }

  TEST_CASE("comments: a disabled one says so, and only a moderator sees its body") {
    const std::string hidden = api::comment_json(comment(true), false);
    CHECK(hidden ==
          R"({"author_url":"/api/v1/users/8","disabled":true,"post_url":"/api/v1/posts/5",)"
          R"("timestamp":"2026-12-03T17:01:00Z","url":"/api/v1/comments/11"})");
    const std::string shown = api::comment_json(comment(true), true);
    CHECK(as_nlohmann_writes(shown) == shown);
    CHECK(nlohmann::json::parse(shown)["body"] == "nice \"one\"");
    CHECK(nlohmann::json::parse(api::comment_json(comment(false), false)).count("disabled") == 0);

    const std::string page = api::comments_page({comment(false), comment(true)}, false,
                                                inkwell::core::paginate(1, 2, 3), "/c/");
    CHECK(as_nlohmann_writes(page) == page);
    CHECK(page.rfind(R"({"comments":[)", 0) == 0);
    CHECK(page.find(R"("count":3,"next":"/c/?page=2","prev":null})") != std::string::npos);
  }

  TEST_CASE("a user") {
    models::User u;
    u.id = 4;
    u.username = "zoë";
    u.member_since = "2026-01-01T00:00:00Z";
    u.last_seen = "2026-12-03T17:00:00Z";
    u.post_count = 12;
    const std::string text = api::user_json(u);
    CHECK(text == R"({"followed_posts_url":"/api/v1/users/4/timeline/",)"
                  R"("last_seen":"2026-12-03T17:00:00Z","member_since":"2026-01-01T00:00:00Z",)"
                  R"("post_count":12,"posts_url":"/api/v1/users/4/posts/","url":"/api/v1/users/4",)"
                  R"("username":"zoë"})");
    CHECK(as_nlohmann_writes(text) == text);
  }
}
