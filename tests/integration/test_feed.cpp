// The followed feed (the home page's Followed tab and the API timeline)
// against the same list computed in SQL, for readers who follow a few
// authors (their ids listed in the statement) and many (the follows joined),
// on several pages.
#include <doctest/doctest.h>
#include <unistd.h>

#include <regex>
#include <string>
#include <vector>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

std::vector<std::string> post_ids_on(const Reply& page) {
  std::vector<std::string> ids;
  static const std::regex re("id=\"post-([0-9]+)\"");
  for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), re);
       it != std::sregex_iterator(); ++it) {
    ids.push_back((*it)[1]);
  }
  return ids;
}

std::vector<std::string> expected_feed(const std::string& user_id, int page) {
  std::string rows =
      sql("SELECT p.id FROM follows f JOIN posts p ON p.author_id = f.followed_id "
          "WHERE f.follower_id = " +
          user_id + " ORDER BY p.timestamp DESC, p.id DESC LIMIT 20 OFFSET " +
          std::to_string((page - 1) * 20));
  std::vector<std::string> ids;
  std::size_t start = 0;
  while (start < rows.size()) {
    std::size_t nl = rows.find('\n', start);
    std::string id = rows.substr(start, nl - start);
    if (!id.empty()) ids.push_back(id);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return ids;
}

void check_feed_of(const std::string& username) {
  const std::string uid = user_id(username);
  Client c;
  Reply in =
      submit(c, "/auth/login", {{"email", username + "@example.com"}, {"password", "password"}});
  REQUIRE_MESSAGE(in.status == 302, "login as " << username << " gave " << in.status);
  REQUIRE(c.get("/followed").status == 302);
  for (int page : {1, 2, 3}) {
    CAPTURE(page);
    Reply r = c.get("/?page=" + std::to_string(page));
    REQUIRE(r.status == 200);
    CHECK(r.contains("Hello, " + username + "!"));
    std::vector<std::string> expected = expected_feed(uid, page);
    CHECK(post_ids_on(r) == expected);
  }
}

}  // namespace

TEST_CASE("feed: readers who follow few and many authors see exactly their followed posts") {
  int status = -1;
  // 80 users each following up to 75 others: most follow more than 64.
  std::string prefix = "fd" + std::to_string(getpid() % 100000) + "x";
  std::string out =
      run("build/inkwell fake --users 80 --posts 1600 --follows 75 --seed 11 "
          "--prefix " +
              prefix + " 2>&1",
          &status);
  REQUIRE_MESSAGE(status == 0, out);
  const std::string many = sql_value("SELECT username FROM users WHERE username LIKE '" + prefix +
                                     "%' AND following_count > 64 ORDER BY id LIMIT 1");
  REQUIRE(!many.empty());
  check_feed_of(many);

  // A reader following one author of the same data set: the listed plan.
  Client few;
  Account a = confirmed_user(few, "feedfew");
  const std::string author = sql_value("SELECT username FROM users WHERE username LIKE '" + prefix +
                                       "%' ORDER BY post_count DESC LIMIT 1");
  REQUIRE(submit(few, "/user/" + author, {}, "/follow/" + author).status == 302);
  REQUIRE(few.get("/followed").status == 302);
  for (int page : {1, 2}) {
    CAPTURE(page);
    Reply r = few.get("/?page=" + std::to_string(page));
    CHECK(post_ids_on(r) == expected_feed(user_id(a.username), page));
  }
}
