// Pages read by position (issue 10): every page of all posts, of an author
// and of the API shows exactly the posts ORDER BY timestamp DESC, id DESC
// LIMIT/OFFSET shows; positions out of step fall back to that and are mended
// by sql/admin/renumber_posts.sql; 32 writers at once lose no counter update
// and leave the positions dense and every followed feed exact.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

constexpr long kPerPage = 20;  // INKWELL_POSTS_PER_PAGE of the test stack (the default)

// The post ids a page lists, in order ("post-N" anchors; JSON "id" fields).
std::vector<std::string> page_ids(const Reply& r) {
  return all_between(r.body, "id=\"post-", "\"");
}
std::vector<std::string> api_ids(const Reply& r) {
  std::vector<std::string> out;
  for (const std::string& url : all_between(r.body, "\"url\":\"", "\"")) {
    const std::string key = "/api/v1/posts/";
    std::size_t at = url.find(key);
    if (at != std::string::npos && url.find("/comments") == std::string::npos) {
      out.push_back(url.substr(at + key.size()));
    }
  }
  return out;
}

// What OFFSET shows: the ids of page `page` (1-based) of the rows `where`.
std::vector<std::string> offset_ids(const std::string& where, long page) {
  std::string rows =
      sql("SELECT id FROM posts " + where + " ORDER BY timestamp DESC, id DESC LIMIT " +
          std::to_string(kPerPage) + " OFFSET " + std::to_string((page - 1) * kPerPage));
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < rows.size()) {
    std::size_t nl = rows.find('\n', from);
    if (nl == std::string::npos) nl = rows.size();
    if (nl > from) out.push_back(rows.substr(from, nl - from));
    from = nl + 1;
  }
  return out;
}

long last_page(long total) {
  return (total + kPerPage - 1) / kPerPage;
}

void write_posts(Client& c, const std::string& tag, int n) {
  for (int i = 0; i < n; ++i) {
    Reply r = submit(c, "/", {{"body", tag + " " + std::to_string(i)}});
    REQUIRE_MESSAGE(r.status == 302, "posting gave " << r.status);
  }
}

// Every page of all posts and of `username` agrees with OFFSET.
void check_pages_agree(Client& c, const std::string& username) {
  const long total = sql_count("SELECT value FROM counters WHERE name = 'posts'");
  const long last = last_page(total);
  for (long page : {1L, 2L, last - 1, last}) {
    if (page < 1) continue;
    INFO("all posts, page " << page);
    CHECK(page_ids(c.get("/?page=" + std::to_string(page))) == offset_ids("", page));
  }
  CHECK(page_ids(c.get("/?page=-1")) == offset_ids("", last));
  CHECK(page_ids(c.get("/?page=" + std::to_string(last + 1))).empty());

  const std::string author = "WHERE author_id = " + user_id(username);
  const long mine = sql_count("SELECT COUNT(*) FROM posts " + author);
  for (long page = 1; page <= last_page(mine); ++page) {
    INFO("posts of " << username << ", page " << page);
    CHECK(page_ids(c.get("/user/" + username + "?page=" + std::to_string(page))) ==
          offset_ids(author, page));
  }
  // The last page takes the user's count first; any other is one statement.
  const std::string profile = "/user/" + username + "?page=";
  CHECK(page_ids(c.get(profile + "-1")) == offset_ids(author, last_page(mine)));
  CHECK(page_ids(c.get(profile + "0")) == offset_ids(author, 1));
  for (const std::string& past :
       {std::to_string(last_page(mine) + 1), std::string("999999999999")}) {
    Reply r = c.get(profile + past);
    CHECK(r.status == 200);
    CHECK(r.contains(username));
    CHECK(page_ids(r).empty());
  }
}

}  // namespace

TEST_CASE("positions: every page of all posts, of an author and of the API is what OFFSET shows") {
  Client c;
  Account a = confirmed_user(c, "pages");
  write_posts(c, "paged", 45);  // three pages of the author's own
  check_pages_agree(c, a.username);

  const long total = sql_count("SELECT value FROM counters WHERE name = 'posts'");
  const std::string uid = user_id(a.username);
  const std::string auth = basic(a.email, a.password);
  for (long page : {1L, 2L, last_page(total)}) {
    INFO("API page " << page);
    Reply r = c.get("/api/v1/posts/?page=" + std::to_string(page), {auth});
    REQUIRE(r.status == 200);
    CHECK(api_ids(r) == offset_ids("", page));
    if (page == 1) CHECK(r.contains("\"body\":\"paged 44\""));  // the Markdown source too
    r = c.get("/api/v1/users/" + uid + "/posts/?page=" + std::to_string(page), {auth});
    if (page <= 3) CHECK(api_ids(r) == offset_ids("WHERE author_id = " + uid, page));
  }
}

TEST_CASE("positions: a hole made by hand is read around by OFFSET; renumber_posts.sql mends it") {
  Client c;
  Account a = confirmed_user(c, "holes");
  write_posts(c, "holed", 3);
  const std::string newest =
      sql_value("SELECT id FROM posts WHERE author_id = " + user_id(a.username) +
                " ORDER BY id DESC LIMIT 1");
  sql("UPDATE posts SET seq = NULL, author_seq = NULL WHERE id = " + newest);
  // Still the right posts, in the right order, on every page.
  check_pages_agree(c, a.username);

  sql("SOURCE sql/admin/renumber_posts.sql;");
  CHECK(sql_value("SELECT seq IS NOT NULL AND author_seq IS NOT NULL FROM posts WHERE id = " +
                  newest) == "1");
  CHECK(sql_count("SELECT COUNT(*) FROM posts") == sql_count("SELECT MAX(seq) FROM posts"));
  check_pages_agree(c, a.username);
}

TEST_CASE("positions: 32 writers at once lose no counter update and leave positions dense") {
  constexpr int kWriters = 32;
  Client owner;
  Account target = confirmed_user(owner, "crowd");
  write_posts(owner, "commented", 1);
  const std::string post_id =
      sql_value("SELECT MAX(id) FROM posts WHERE author_id = " + user_id(target.username));
  std::vector<Client> clients(kWriters);
  std::vector<Account> writers;
  for (Client& c : clients) writers.push_back(confirmed_user(c, "w"));
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      Client& c = clients[i];
      auto ok = [&](const Reply& r) {
        if (r.status != 302) ++bad;
      };
      for (int k = 0; k < 3; ++k) {
        ok(submit(c, "/", {{"body", "crowd post " + std::to_string(k)}}));
        ok(submit(c, "/post/" + post_id, {{"body", "crowd comment " + std::to_string(k)}}));
      }
      const std::string home = "/user/" + target.username;
      ok(submit(c, home, {}, "/follow/" + target.username));
      if (i % 2) ok(submit(c, home, {}, "/unfollow/" + target.username));
      // Follows among writers who are posting: feeds written from both
      // ends at once.
      const std::string next = writers[(i + 1) % kWriters].username;
      ok(submit(c, "/user/" + next, {}, "/follow/" + next));
      ok(submit(c, "/", {{"body", "crowd post after following"}}));
      if (i % 3 == 0) ok(submit(c, "/user/" + next, {}, "/unfollow/" + next));
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(bad.load() == 0);

  CHECK(sql_count("SELECT value FROM counters WHERE name = 'posts'") ==
        sql_count("SELECT COUNT(*) FROM posts"));
  CHECK(sql_count("SELECT value FROM counters WHERE name = 'comments'") ==
        sql_count("SELECT COUNT(*) FROM comments"));
  CHECK(sql_count("SELECT COUNT(*) FROM users u WHERE post_count <> "
                  "(SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id)") == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM users u WHERE followers_count <> (SELECT COUNT(*) FROM "
                  "follows f WHERE f.followed_id = u.id AND f.follower_id <> u.id)") == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM users u WHERE following_count <> (SELECT COUNT(*) FROM "
                  "follows f WHERE f.follower_id = u.id AND f.followed_id <> u.id)") == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM posts p WHERE comment_count <> "
                  "(SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id)") == 0);
  CHECK(sql_value("SELECT comment_count FROM posts WHERE id = " + post_id) ==
        std::to_string(kWriters * 3));
  CHECK(sql_count("SELECT followers_count FROM users WHERE username = " +
                  sql_quote(target.username)) == kWriters / 2);
  // Dense positions, rising with (timestamp, id).
  CHECK(sql_count("SELECT COUNT(*) FROM posts") == sql_count("SELECT MAX(seq) FROM posts"));
  CHECK(sql_count("SELECT COUNT(*) FROM posts") ==
        sql_count("SELECT COUNT(DISTINCT seq) FROM posts"));
  CHECK(sql_count("SELECT COUNT(*) FROM (SELECT author_id, COUNT(*) n, MAX(author_seq) m, "
                  "COUNT(DISTINCT author_seq) d FROM posts GROUP BY author_id) a "
                  "WHERE n <> m OR n <> d") == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM posts a JOIN posts b ON b.seq = a.seq + 1 "
                  "WHERE (b.timestamp, b.id) < (a.timestamp, a.id)") == 0);
  // Every followed feed holds exactly its followed posts, with their count.
  CHECK(feed_mismatches() == 0);
}

TEST_CASE("logins: 32 logins into one account at once all succeed (no deadlock)") {
  constexpr int kClients = 32;
  Client owner;
  Account a = confirmed_user(owner, "busy");
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 3; ++k) {
        Client c;  // a visitor each time
        Reply r = submit(c, "/auth/login", {{"email", a.email}, {"password", a.password}});
        if (r.status != 302) ++bad;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(bad.load() == 0);
  CHECK(sql_count("SELECT login_count FROM user_logins WHERE user_id = " + user_id(a.username)) >=
        kClients * 3);
}
