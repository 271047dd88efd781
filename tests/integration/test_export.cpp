// The data export through nginx: /auth/account/export.json gives the
// logged-in user their profile, every post and every comment as a JSON
// attachment, nobody else's, and nothing to visitors.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

TEST_CASE("export: one's own posts and comments as a JSON attachment") {
  Client c;
  Account a = confirmed_user(c, "exp");
  Client other;
  Account b = confirmed_user(other, "exp");
  REQUIRE(submit(c, "/", {{"body", "first *export* post"}}).status == 302);
  REQUIRE(submit(c, "/", {{"body", "second export post \"quoted\""}}).status == 302);
  REQUIRE(submit(other, "/", {{"body", "someone else's post " + b.username}}).status == 302);
  const std::string their_post = sql_value("SELECT MAX(id) FROM posts WHERE body = " +
                                           sql_quote("someone else's post " + b.username));
  REQUIRE(submit(c, "/post/" + their_post, {{"body", "my comment there"}}).status == 302);
  REQUIRE(submit(other, "/post/" + their_post, {{"body", "their own comment"}}).status == 302);

  Reply r = c.get("/auth/account/export.json");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type").find("application/json") == 0);
  CHECK(r.header("content-disposition") ==
        "attachment; filename=\"inkwell-" + a.username + ".json\"");
  CHECK(r.header("cache-control") == "no-store");
  const auto doc = nlohmann::json::parse(r.body);
  CHECK(doc.at("user").at("username") == a.username);
  CHECK(doc.at("user").at("email") == a.email);
  const auto& posts = doc.at("posts");
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].at("body") == "first *export* post");
  CHECK(posts[0].at("body_html") == "<p>first <em>export</em> post</p>");
  CHECK(posts[1].at("body") == "second export post \"quoted\"");
  const std::string base = env_or("INKWELL_BASE_URL", "http://127.0.0.1:8081");
  CHECK(posts[0].at("url").get<std::string>().rfind(base + "/post/", 0) == 0);
  const auto& comments = doc.at("comments");
  REQUIRE(comments.size() == 1);
  CHECK(comments[0].at("body") == "my comment there");
  CHECK(comments[0].at("post_url") == base + "/post/" + their_post);
  CHECK(r.body.find(b.username) == std::string::npos);  // nothing of the other user's

  // Linked from the account menu.
  CHECK(c.get("/").contains("href=\"/auth/account/export.json\""));
}

TEST_CASE("export: visitors are sent to log in") {
  Client visitor;
  Reply r = visitor.get("/auth/account/export.json");
  CHECK(r.status == 302);
  CHECK(r.header("location").find("/auth/login") == 0);
  CHECK(r.body.find("\"posts\"") == std::string::npos);
}
