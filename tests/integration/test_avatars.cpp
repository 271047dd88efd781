// Self-hosted avatars through nginx: /avatar/<hash>.svg draws the identicon
// of a hash for everyone alike (cacheable, no session touched), refuses what
// is not a hash, and every page links to it instead of Gravatar.
#include <doctest/doctest.h>

#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

const std::string kHash = "0bc83cb571cd1c50ba6f3e8a78ef1346";

std::string hash_of(const std::string& username) {
  return sql_value("SELECT avatar_hash FROM users WHERE username = " + sql_quote(username));
}

}  // namespace

TEST_CASE("avatars: an identicon SVG, the same for every caller, cacheable") {
  Client visitor;
  Reply r = visitor.get("/avatar/" + kHash + ".svg?s=64");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "image/svg+xml");
  CHECK(r.header("cache-control").find("public, max-age=") == 0);
  CHECK(r.header("set-cookie").empty());
  CHECK(r.body.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"", 0) ==
        0);

  // A logged-in caller gets the very same bytes, still cacheable: no no-store,
  // no cookie refreshed, and its session is not looked at (no last_seen write).
  Client c;
  Account a = confirmed_user(c, "avatar");
  set_last_seen(a.username, "'2001-01-01 00:00:00'");
  Reply mine = c.get("/avatar/" + kHash + ".svg?s=64");
  REQUIRE(mine.status == 200);
  CHECK(mine.body == r.body);
  CHECK(mine.header("cache-control").find("no-store") == std::string::npos);
  CHECK(mine.header("cache-control").find("public") == 0);
  CHECK(mine.header("set-cookie").empty());
  CHECK(sql_count("SELECT COUNT(*)" + kSeenFrom + "WHERE " + kLastSeen +
                  " = '2001-01-01 00:00:00' AND u.username = " + sql_quote(a.username)) == 1);
}

TEST_CASE("avatars: sizes are clamped and default to 80") {
  Client c;
  CHECK(c.get("/avatar/" + kHash + ".svg").contains("width=\"80\" height=\"80\""));
  CHECK(c.get("/avatar/" + kHash + ".svg?s=100000").contains("width=\"512\" height=\"512\""));
  CHECK(c.get("/avatar/" + kHash + ".svg?s=0").contains("width=\"16\" height=\"16\""));
  CHECK(c.get("/avatar/" + kHash + ".svg?s=abc").contains("width=\"80\" height=\"80\""));
}

TEST_CASE("avatars: anything but 32 lower-case hex digits and .svg is 404") {
  Client c;
  for (const char* bad :
       {"0BC83CB571CD1C50BA6F3E8A78EF1346.svg", "0bc83cb571cd1c50ba6f3e8a78ef134.svg",
        "0bc83cb571cd1c50ba6f3e8a78ef13466.svg", "0bc83cb571cd1c50ba6f3e8a78ef134g.svg",
        "0bc83cb571cd1c50ba6f3e8a78ef1346.png", "0bc83cb571cd1c50ba6f3e8a78ef1346", ".svg",
        "%3Cscript%3E.svg"}) {
    CAPTURE(bad);
    CHECK(c.get(std::string("/avatar/") + bad).status == 404);
  }
}

TEST_CASE("avatars: profiles, posts, comments and follower lists use /avatar, not Gravatar") {
  Client c;
  Account a = confirmed_user(c, "avpage");
  const std::string hash = hash_of(a.username);
  REQUIRE(hash.size() == 32);
  Reply posted = submit(c, "/", {{"body", "avatar post " + a.username}});
  REQUIRE(posted.status == 302);
  const std::string id =
      sql_value("SELECT MAX(id) FROM posts WHERE body = " + sql_quote("avatar post " + a.username));
  REQUIRE(submit(c, "/post/" + id, {{"body", "avatar comment"}}).status == 302);

  Client visitor;
  Reply profile = visitor.get("/user/" + a.username);
  CHECK(profile.contains("src=\"/avatar/" + hash + ".svg?s=256\""));
  CHECK(profile.contains("src=\"/avatar/" + hash + ".svg?s=40\""));
  Reply post = visitor.get("/post/" + id);
  CHECK(post.contains("<li class=\"comment\""));
  CHECK(post.body.find("src=\"/avatar/" + hash + ".svg?s=40\"") !=
        post.body.rfind("src=\"/avatar/" + hash + ".svg?s=40\""));  // post and comment
  Client other;
  Account b = confirmed_user(other, "avfan");
  REQUIRE(submit(other, "/user/" + a.username, {}, "/follow/" + a.username).status == 302);
  CHECK(visitor.get("/followers/" + a.username)
            .contains("src=\"/avatar/" + hash_of(b.username) + ".svg?s=32\""));
  for (const Reply* r : {&profile, &post}) CHECK_FALSE(r->contains("gravatar.com"));
}
