// The followed feed (the home page's Followed tab and the API timeline),
// written when posts and follows are (feed_entries, feed_counts): every
// page against the same list computed from follows and posts in SQL, after
// every kind of write; a feed changed by hand and sql/admin/rebuild_feeds.sql.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
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

long feed_total(const std::string& user_id) {
  return sql_count(
      "SELECT COUNT(*) FROM follows f JOIN posts p ON p.author_id = f.followed_id "
      "WHERE f.follower_id = " +
      user_id);
}

// The first pages, pages past the deep-page threshold (offset 200), the
// last page (by number and ?page=-1) and the page after it, of the Followed
// tab of the logged-in client c.
void check_pages(Client& c, const std::string& uid) {
  const long last = std::max(1L, (feed_total(uid) + 19) / 20);
  for (long page : {1L, 2L, 3L, 11L, 12L, last - 1, last}) {
    if (page < 1 || page > last) continue;
    CAPTURE(page);
    Reply r = c.get("/?page=" + std::to_string(page));
    REQUIRE(r.status == 200);
    CHECK(post_ids_on(r) == expected_feed(uid, static_cast<int>(page)));
  }
  CHECK(post_ids_on(c.get("/?page=-1")) == expected_feed(uid, static_cast<int>(last)));
  CHECK(post_ids_on(c.get("/?page=" + std::to_string(last + 1))).empty());
}

void check_feed_of(const std::string& username) {
  const std::string uid = user_id(username);
  Client c;
  Reply in =
      submit(c, "/auth/login", {{"email", username + "@example.com"}, {"password", "password"}});
  REQUIRE_MESSAGE(in.status == 302, "login as " << username << " gave " << in.status);
  REQUIRE(c.get("/followed").status == 302);
  check_pages(c, uid);
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
  check_pages(few, user_id(a.username));
  CHECK(feed_mismatches() == 0);
}

TEST_CASE("feed: a post, a follow and an unfollow change the feeds they should, at once") {
  Client reader, author, other;
  Account r = confirmed_user(reader, "fdread");
  Account a = confirmed_user(author, "fdauth");
  Account o = confirmed_user(other, "fdother");
  const std::string rid = user_id(r.username);
  auto feed_ids = [&] {
    REQUIRE(reader.get("/followed").status == 302);
    return post_ids_on(reader.get("/"));
  };
  auto post = [](Client& c, const std::string& body) {
    REQUIRE(submit(c, "/", {{"body", body}}).status == 302);
    return sql_value("SELECT MAX(id) FROM posts");
  };
  const std::string before = post(author, "written before the follow");
  const std::string own = post(reader, "the reader's own post");
  CHECK(feed_ids() == std::vector<std::string>{own});

  // Following brings the author's earlier posts in, in time order.
  REQUIRE(submit(reader, "/user/" + a.username, {}, "/follow/" + a.username).status == 302);
  CHECK(feed_ids() == (std::vector<std::string>{own, before}));
  // A new post reaches every follower's feed (and its author's), no one else's.
  const std::string after = post(author, "written after the follow");
  CHECK(feed_ids() == (std::vector<std::string>{after, own, before}));
  CHECK(sql_count("SELECT COUNT(*) FROM feed_entries WHERE post_id = " + after +
                  " AND reader_id = " + user_id(o.username)) == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM feed_entries WHERE post_id = " + after +
                  " AND reader_id = " + user_id(a.username)) == 1);
  // The API timeline shows the same feed.
  Client script;
  Reply api = script.get("/api/v1/users/" + rid + "/timeline/", {basic(r.email, r.password)});
  CHECK(api.status == 200);
  CHECK(api.contains("\"count\":3"));
  CHECK(feed_mismatches() == 0);

  // Unfollowing takes every post of the author out, and only those.
  REQUIRE(submit(reader, "/user/" + a.username, {}, "/unfollow/" + a.username).status == 302);
  CHECK(feed_ids() == std::vector<std::string>{own});
  CHECK(sql_count("SELECT entries FROM feed_counts WHERE reader_id = " + rid) == 1);
  CHECK(feed_mismatches() == 0);
}

TEST_CASE("feed: an author with many followers is merged into feeds when read, not copied") {
  // The test stack sets INKWELL_FEED_FANOUT_MAX=20.
  Client author, reader;
  Account a = confirmed_user(author, "fdbig");
  Account r = confirmed_user(reader, "fdbigr");
  const std::string aid = user_id(a.username);
  const std::string prefix = "fb" + std::to_string(getpid() % 100000) + "x";
  int status = -1;
  std::string out =
      run("build/inkwell fake --users 24 --prefix " + prefix + " --seed 5 2>&1", &status);
  REQUIRE_MESSAGE(status == 0, out);
  sql("INSERT INTO follows (follower_id, followed_id) SELECT id, " + aid +
      " FROM users WHERE username LIKE '" + prefix + "%'");
  // The counters too, as follow() keeps them (other tests check them all).
  sql("UPDATE users SET following_count = following_count + 1 WHERE username LIKE '" + prefix +
      "%'");
  sql("UPDATE users SET followers_count = 24 WHERE id = " + aid);

  REQUIRE(submit(author, "/", {{"body", "to the many"}}).status == 302);
  const std::string big = sql_value("SELECT MAX(id) FROM posts WHERE author_id = " + aid);
  CHECK(sql_count("SELECT COUNT(*) FROM feed_unfanned_posts WHERE post_id = " + big) == 1);
  CHECK(sql_count("SELECT COUNT(*) FROM feed_entries WHERE post_id = " + big) == 0);
  CHECK(feed_mismatches() == 0);

  // A follower sees it on top; so does the author; the counts include it.
  const std::string follower = sql_value("SELECT username FROM users WHERE username LIKE '" +
                                         prefix + "%' ORDER BY id LIMIT 1");
  Client f;
  REQUIRE(submit(f, "/auth/login", {{"email", follower + "@example.com"}, {"password", "password"}})
              .status == 302);
  REQUIRE(f.get("/followed").status == 302);
  std::vector<std::string> ids = post_ids_on(f.get("/"));
  REQUIRE(!ids.empty());
  CHECK(ids.front() == big);
  check_pages(f, user_id(follower));
  REQUIRE(author.get("/followed").status == 302);
  ids = post_ids_on(author.get("/"));
  REQUIRE(!ids.empty());
  CHECK(ids.front() == big);

  // A new follower gets it through the follow, and loses it by unfollowing;
  // their own posts (fanned out) and the big author's merge in time order.
  REQUIRE(submit(reader, "/", {{"body", "before"}}).status == 302);
  REQUIRE(submit(reader, "/user/" + a.username, {}, "/follow/" + a.username).status == 302);
  REQUIRE(submit(author, "/", {{"body", "to the many, again"}}).status == 302);
  REQUIRE(submit(reader, "/", {{"body", "after"}}).status == 302);
  REQUIRE(reader.get("/followed").status == 302);
  const std::string rid = user_id(r.username);
  CHECK(post_ids_on(reader.get("/")) == expected_feed(rid, 1));
  CHECK(post_ids_on(reader.get("/")).size() == 4);
  check_pages(reader, rid);
  CHECK(feed_mismatches() == 0);
  REQUIRE(submit(reader, "/user/" + a.username, {}, "/unfollow/" + a.username).status == 302);
  CHECK(post_ids_on(reader.get("/")) == expected_feed(rid, 1));
  CHECK(post_ids_on(reader.get("/")).size() == 2);
  CHECK(feed_mismatches() == 0);

  // rebuild_feeds.sql keeps the split.
  sql("SOURCE sql/admin/rebuild_feeds.sql;");
  CHECK(feed_mismatches() == 0);
  CHECK(sql_count("SELECT posts FROM feed_big_authors WHERE author_id = " + aid) == 2);
}

TEST_CASE("feed: rows changed by hand show fewer posts; rebuild_feeds.sql mends them") {
  Client c;
  Account a = confirmed_user(c, "fdhand");
  const std::string uid = user_id(a.username);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(submit(c, "/", {{"body", "by hand " + std::to_string(i)}}).status == 302);
  }
  REQUIRE(c.get("/followed").status == 302);
  sql("DELETE FROM feed_entries WHERE reader_id = " + uid + " ORDER BY timestamp DESC LIMIT 1");
  CHECK(post_ids_on(c.get("/")).size() == 2);  // the count says 3: logged, served as found

  sql("SOURCE sql/admin/rebuild_feeds.sql;");
  CHECK(feed_mismatches() == 0);
  check_pages(c, uid);
}
