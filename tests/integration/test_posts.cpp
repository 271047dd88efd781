// Posts, comments and moderation through nginx (SPEC §4): the home page and
// its post form and tabs, /all and /followed, /post/<id> with its comments,
// /edit/<id>, /moderate and its Enable / Disable buttons; counters checked
// against the tables they count.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

const std::string kRequired = "This field is required.";
const std::string kCommentPublished = "Your comment has been published.";
const std::string kPostUpdated = "The post has been updated.";
const std::string kDisabledNotice = "<i>This comment has been disabled by a moderator.</i>";

void set_role(const std::string& username, const std::string& role) {
  sql("UPDATE users SET role_id = (SELECT id FROM roles WHERE name = " + sql_quote(role) +
      ") WHERE username = " + sql_quote(username));
}

long write_comment(Client& c, long post_id, const std::string& body) {
  const std::string path = "/post/" + std::to_string(post_id);
  Reply r = submit(c, path, {{"body", body}});
  REQUIRE_MESSAGE(r.status == 302, "commenting gave " << r.status << "\n" << r.body);
  CHECK(r.header("location") == path + "?page=-1#comments");
  long id = sql_count("SELECT MAX(id) FROM comments WHERE body = " + sql_quote(body));
  REQUIRE(id > 0);
  return id;
}

void check_counters(const std::string& username) {
  CHECK(sql_count("SELECT value FROM counters WHERE name = 'posts'") ==
        sql_count("SELECT COUNT(*) FROM posts"));
  CHECK(sql_count("SELECT value FROM counters WHERE name = 'comments'") ==
        sql_count("SELECT COUNT(*) FROM comments"));
  CHECK(sql_count("SELECT post_count FROM users WHERE username = " + sql_quote(username)) ==
        sql_count("SELECT COUNT(*) FROM posts p JOIN users u ON u.id = p.author_id "
                  "WHERE u.username = " +
                  sql_quote(username)));
}

std::string set_cookies(const Reply& r) {
  std::string out;
  auto range = r.headers.equal_range("set-cookie");
  for (auto it = range.first; it != range.second; ++it) out += it->second + "\n";
  return out;
}

// The part of a page from the element with id="ID" to the end of its <li>.
std::string item(const Reply& r, const std::string& id) {
  std::size_t from = r.body.find("id=\"" + id + "\"");
  if (from == std::string::npos) return "";
  return r.body.substr(from, r.body.find("</li>", from) - from);
}

}  // namespace

TEST_CASE("home: a visitor sees posts but no form, no tabs, and gets no cookie") {
  Client writer;
  Account w = confirmed_user(writer, "home");
  long id = write_post(writer, "body of the *blog* post");

  Client visitor;
  Reply r = visitor.get("/");
  REQUIRE(r.status == 200);
  CHECK(r.contains("Hello, Stranger!"));
  CHECK(r.contains("<p>body of the <em>blog</em> post</p>"));
  CHECK(r.contains("href=\"/post/" + std::to_string(id) + "\""));
  CHECK(r.contains("href=\"/user/" + w.username + "\""));
  CHECK(r.contains("<time datetime=\""));
  CHECK_FALSE(r.contains("name=\"body\""));
  CHECK_FALSE(r.contains("csrf_token"));
  CHECK_FALSE(r.contains("href=\"/followed\""));
  CHECK(set_cookies(r).empty());
  // Lenient ?page=: malformed is page 1, past the end an empty page.
  CHECK(visitor.get("/?page=abc").status == 200);
  Reply far = visitor.get("/?page=99999999");
  CHECK(far.status == 200);
  CHECK_FALSE(far.contains("class=\"post\""));
}

TEST_CASE("home: a writer posts Markdown; empty is refused; raw HTML never comes back") {
  Client c;
  Account a = confirmed_user(c, "writer");
  Reply home = c.get("/");
  CHECK(home.contains("Hello, " + a.username + "!"));
  CHECK(home.contains("What&#39;s on your mind?"));
  CHECK(home.contains("name=\"body\""));

  long before = sql_count("SELECT COUNT(*) FROM posts");
  Reply r = submit(c, "/", {{"body", "   "}});
  CHECK(r.status == 200);
  CHECK(r.contains(kRequired));
  CHECK(sql_count("SELECT COUNT(*) FROM posts") == before);

  long id = write_post(c, "**hello** <script>alert(1)</script> [x](javascript:alert(1))");
  home = c.get("/");
  const std::string post = item(home, "post-" + std::to_string(id));
  CHECK(post.find("<strong>hello</strong>") != std::string::npos);
  CHECK(post.find("<script>") == std::string::npos);
  CHECK(post.find("javascript:") == std::string::npos);
  CHECK(post.find("href=\"/edit/" + std::to_string(id) + "\"") != std::string::npos);
  CHECK(post.find("0 Comments") != std::string::npos);
  check_counters(a.username);
}

TEST_CASE("home: posting needs WRITE (a visitor with a valid CSRF token gets 403)") {
  Client visitor;
  long before = sql_count("SELECT COUNT(*) FROM posts");
  Reply r = submit(visitor, "/auth/login", {{"body", "sneaky"}}, "/");
  CHECK(r.status == 403);
  CHECK(sql_count("SELECT COUNT(*) FROM posts") == before);
}

TEST_CASE("/all and /followed set the show_followed cookie; Followed shows followed authors") {
  Client reader, author, stranger;
  Account r = confirmed_user(reader, "rdr");
  Account a = confirmed_user(author, "auth");
  confirmed_user(stranger, "strg");
  long followed_post = write_post(author, "from the followed author");
  long other_post = write_post(stranger, "from a stranger");
  long own_post = write_post(reader, "from the reader");
  REQUIRE(submit(reader, "/", {}, "/follow/" + a.username).status == 302);

  Reply res = reader.get("/followed");
  CHECK(res.status == 302);
  CHECK(res.header("location") == "/");
  std::string cookie = set_cookies(res);
  CHECK(cookie.find("show_followed=1") != std::string::npos);
  CHECK(cookie.find("Max-Age=2592000") != std::string::npos);
  Reply home = reader.get("/");
  CHECK(home.contains("nav-link active\" aria-current=\"page\" href=\"/followed\""));
  CHECK(home.contains("id=\"post-" + std::to_string(followed_post) + "\""));
  CHECK(home.contains("id=\"post-" + std::to_string(own_post) + "\""));
  CHECK_FALSE(home.contains("id=\"post-" + std::to_string(other_post) + "\""));

  res = reader.get("/all");
  CHECK(res.status == 302);
  cookie = set_cookies(res);
  CHECK(cookie.find("show_followed=;") != std::string::npos);
  CHECK(cookie.find("Max-Age=2592000") != std::string::npos);
  home = reader.get("/");
  CHECK(home.contains("nav-link active\" aria-current=\"page\" href=\"/all\""));
  CHECK(home.contains("id=\"post-" + std::to_string(other_post) + "\""));

  Client visitor;
  CHECK(visitor.get("/all").header("location").rfind("/auth/login", 0) == 0);
  CHECK(visitor.get("/followed").header("location").rfind("/auth/login", 0) == 0);
}

TEST_CASE("/post/<id>: the post, comments oldest first, 30 a page, the last with ?page=-1") {
  Client author, commenter, visitor;
  confirmed_user(author, "pauth");
  Account c = confirmed_user(commenter, "cmt");
  long id = write_post(author, "a post to discuss");
  const std::string path = "/post/" + std::to_string(id);

  Reply page = visitor.get(path);
  REQUIRE(page.status == 200);
  CHECK(page.contains("a post to discuss"));
  CHECK(page.contains("id=\"comments\""));
  CHECK_FALSE(page.contains("name=\"body\""));
  CHECK(visitor.get("/post/999999999").status == 404);

  long first = write_comment(commenter, id, "first *comment*");
  Reply shown = commenter.get(path + "?page=-1");
  CHECK(shown.contains(kCommentPublished));
  CHECK(shown.contains("<p>first <em>comment</em></p>"));
  CHECK(shown.contains("href=\"/user/" + c.username + "\""));
  for (int i = 2; i <= 31; ++i) write_comment(commenter, id, "comment number " + std::to_string(i));
  CHECK(sql_count("SELECT comment_count FROM posts WHERE id = " + std::to_string(id)) == 31);
  check_counters(c.username);

  Reply p1 = visitor.get(path);
  CHECK(p1.contains("id=\"comment-" + std::to_string(first) + "\""));
  CHECK(p1.contains("comment number 30"));
  CHECK_FALSE(p1.contains("comment number 31"));
  CHECK(p1.contains("href=\"" + path + "?page=2#comments\""));
  CHECK(p1.contains("31 Comments"));
  CHECK(p1.body.find("<p>comment number 2</p>") < p1.body.find("<p>comment number 30</p>"));
  Reply last = visitor.get(path + "?page=-1");
  CHECK(last.contains("comment number 31"));
  CHECK_FALSE(last.contains("id=\"comment-" + std::to_string(first) + "\""));
  // A page asked by number is read with its post in one statement: the same
  // rows as the last page's two, and past the end the post alone.
  Reply p2 = visitor.get(path + "?page=2");
  CHECK(p2.contains("<p>comment number 31</p>"));
  CHECK_FALSE(p2.contains("<p>comment number 30</p>"));
  CHECK(p2.contains("href=\"" + path + "?page=1#comments\""));
  for (const char* past : {"?page=3", "?page=9223372036854775807"}) {
    Reply beyond = visitor.get(path + past);
    CHECK(beyond.status == 200);
    CHECK(beyond.contains("a post to discuss"));
    CHECK(beyond.contains("31 Comments"));
    CHECK_FALSE(beyond.contains("comment number"));
  }
  long other = write_post(author, "a post without comments");
  Reply none = visitor.get("/post/" + std::to_string(other));
  CHECK(none.status == 200);
  CHECK(none.contains("a post without comments"));
  CHECK_FALSE(none.contains("id=\"comment-"));

  Reply empty = submit(commenter, path, {{"body", ""}});
  CHECK(empty.status == 200);
  CHECK(empty.contains(kRequired));
  // A valid comment to a post that is not there (stored without reading the
  // post first): 404, and nothing of it stored.
  const std::string comments = "SELECT value FROM counters WHERE name = 'comments'";
  const long before = sql_count(comments);
  CHECK(submit(commenter, path, {{"body", "a comment to nowhere"}}, "/post/999999999").status ==
        404);
  CHECK(sql_count(comments) == before);
  CHECK(sql_count("SELECT COUNT(*) FROM comments WHERE body = 'a comment to nowhere'") == 0);
  // Commenting needs COMMENT: a visitor with a valid CSRF token is refused.
  CHECK(submit(visitor, "/auth/login", {{"body", "x"}}, path).status == 403);
  CHECK(sql_count("SELECT comment_count FROM posts WHERE id = " + std::to_string(id)) == 31);
}

TEST_CASE("/edit/<id>: the author or an administrator; the HTML is re-rendered") {
  Client author, other, admin, visitor;
  confirmed_user(author, "eauth");
  confirmed_user(other, "eoth");
  Account ad = confirmed_user(admin, "eadm");
  set_role(ad.username, "Administrator");
  long id = write_post(author, "first *version*");
  const std::string edit = "/edit/" + std::to_string(id);

  Reply form = author.get(edit);
  REQUIRE(form.status == 200);
  CHECK(form.contains(">first *version*</textarea>"));
  CHECK(other.get(edit).status == 403);
  CHECK(submit(other, "/", {{"body", "hijack"}}, edit).status == 403);
  CHECK(visitor.get(edit).header("location").rfind("/auth/login", 0) == 0);
  CHECK(author.get("/edit/999999999").status == 404);

  Reply r = submit(author, edit, {{"body", "second **version**"}});
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/post/" + std::to_string(id));
  Reply page = author.follow(r);
  CHECK(page.contains(kPostUpdated));
  CHECK(page.contains("<p>second <strong>version</strong></p>"));
  CHECK(sql_value("SELECT body_html FROM posts WHERE id = " + std::to_string(id)) ==
        "<p>second <strong>version</strong></p>");

  Reply as_admin = admin.get("/post/" + std::to_string(id));
  CHECK(as_admin.contains("Edit [Admin]"));
  CHECK(admin.get(edit).status == 200);
  CHECK(submit(admin, edit, {{"body", "moderated"}}).status == 302);
  CHECK(submit(author, edit, {{"body", " "}}).contains(kRequired));
}

TEST_CASE("/moderate: moderators disable and enable comments; others are refused") {
  Client author, moderator, plain, visitor;
  confirmed_user(author, "mauth");
  Account m = confirmed_user(moderator, "mod");
  confirmed_user(plain, "mpln");
  long post_id = write_post(author, "a post with a rude comment");
  long cid = write_comment(author, post_id, "rude words");
  const std::string post_path = "/post/" + std::to_string(post_id);
  const std::string comment = "comment-" + std::to_string(cid);

  CHECK(plain.get("/moderate").status == 403);
  CHECK(submit(plain, "/", {}, "/moderate/disable/" + std::to_string(cid)).status == 403);
  set_role(m.username, "Moderator");

  Reply list = moderator.get("/moderate");
  REQUIRE(list.status == 200);
  CHECK(list.contains("Comment Moderation"));
  CHECK(item(list, comment).find("action=\"/moderate/disable/" + std::to_string(cid) + "\"") !=
        std::string::npos);

  Reply r =
      submit(moderator, "/moderate", {{"page", "1"}}, "/moderate/disable/" + std::to_string(cid));
  REQUIRE(r.status == 302);
  CHECK(r.header("location") == "/moderate?page=1");
  CHECK(sql_value("SELECT disabled FROM comments WHERE id = " + std::to_string(cid)) == "1");

  std::string seen = item(visitor.get(post_path), comment);
  CHECK(seen.find(kDisabledNotice) != std::string::npos);
  CHECK(seen.find("rude words") == std::string::npos);
  seen = item(moderator.get(post_path), comment);
  CHECK(seen.find(kDisabledNotice) != std::string::npos);
  CHECK(seen.find("rude words") != std::string::npos);
  CHECK(item(moderator.get("/moderate"), comment)
            .find("action=\"/moderate/enable/" + std::to_string(cid) + "\"") != std::string::npos);

  r = submit(moderator, "/moderate", {{"page", "3"}}, "/moderate/enable/" + std::to_string(cid));
  CHECK(r.header("location") == "/moderate?page=3");
  seen = item(visitor.get(post_path), comment);
  CHECK(seen.find(kDisabledNotice) == std::string::npos);
  CHECK(seen.find("rude words") != std::string::npos);

  CHECK(submit(moderator, "/moderate", {}, "/moderate/enable/999999999").status == 404);
}

TEST_CASE("page cache: visitors see a new post at once, whichever worker answers") {
  Client visitor;
  // Fill every worker's cache with the current home page.
  for (int i = 0; i < 8; ++i) REQUIRE(visitor.get("/").status == 200);
  Client writer;
  confirmed_user(writer, "cache");
  const std::string body = "fresh post " + unique("cache");
  write_post(writer, body);
  // Another app host's cache (the cluster) sees the write within its bound.
  settle_page_caches();
  for (int i = 0; i < 8; ++i) {
    Reply r = visitor.get("/");
    CHECK_MESSAGE(r.contains(body), "request " << i << " served a stale page");
  }
}

TEST_CASE("page cache: a page with a visitor's CSRF token is never served to another") {
  Client a, b;
  // Each visitor gets their own CSRF cookie, then asks again with it.
  a.get("/auth/login");
  b.get("/auth/login");
  for (int i = 0; i < 4; ++i) {
    std::string ta = csrf_token(a.get("/auth/login"));
    std::string tb = csrf_token(b.get("/auth/login"));
    CHECK(ta != tb);
  }
  // b's token works for b (a form error is a 200, a refused token a 400).
  Reply r = b.post("/auth/login", form_encode({{"csrf_token", csrf_token(b.get("/auth/login"))},
                                               {"email", "nobody@example.com"},
                                               {"password", ""}}));
  CHECK(r.status == 200);
  CHECK(r.contains("This field is required."));
}

TEST_CASE(
    "navbar: Moderate Comments for moderators only; Profile and the account menu when logged in") {
  Client c;
  Account a = confirmed_user(c, "navbar");
  Reply r = c.get("/");
  CHECK(r.contains("href=\"/user/" + a.username + "\">Profile<"));
  CHECK(r.contains(">Change Password<"));
  CHECK(r.contains(">Change Email<"));
  CHECK(r.contains(">Log Out<"));
  CHECK_FALSE(r.contains(">Moderate Comments<"));
  set_role(a.username, "Moderator");
  CHECK(c.get("/").contains("href=\"/moderate\">Moderate Comments<"));
  Reply visitor = Client().get("/");
  CHECK(visitor.contains(">Log In<"));
  CHECK_FALSE(visitor.contains(">Moderate Comments<"));
  CHECK_FALSE(visitor.contains(">Profile<"));
}

namespace {

// Each app host reads from its own Galera node, and nginx takes turns: on
// the cluster the hits are counted on every node.
long query_cache_hits() {
  return global_status("QCACHE_HITS");
}

// On the cluster, until every node has applied every write-set (at most
// 60 s): a node still applying an earlier test's writes drops the cached
// results of their tables, as it must, and the hits counted would be short.
void cluster_settled() {
  if (stack_name() != "cluster") return;
  for (int i = 0; i < 600; ++i) {
    long seqno[3];
    bool queued = false;
    for (int node = 1; node <= 3; ++node) {
      seqno[node - 1] = node_status(node, "WSREP_LAST_COMMITTED");
      queued = queued || node_status(node, "WSREP_LOCAL_RECV_QUEUE") > 0;
    }
    if (!queued && seqno[0] == seqno[1] && seqno[1] == seqno[2]) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL("the Galera nodes did not settle in 60 s");
}

// True once a round of `read` had at least `statements` of its statements
// answered by MariaDB's query cache. One app host reads one database: the
// first round must. On the cluster each host reads its own node and nginx
// picks the host, so a round is answered in full once every host has read
// the same pages before: within 8 rounds.
template <class Read>
bool query_cache_answers(long statements, Read read) {
  const int rounds = stack_name() == "cluster" ? 8 : 1;
  for (int round = 0; round < rounds; ++round) {
    const long hits = query_cache_hits();
    read();
    if (query_cache_hits() >= hits + statements) return true;
  }
  return false;
}

// A new post by author (its body "<word> *cached*"), its page read twice by
// warmer, a logged-in reader (no page cache): its statement is in the
// query cache. Returns the page's path.
std::string post_page_in_query_cache(Client& author, Client& warmer, const std::string& body) {
  const std::string shown = body.substr(0, body.find(' ')) + " <em>cached</em>";
  const std::string post = "/post/" + std::to_string(write_post(author, body));
  cluster_settled();
  REQUIRE(warmer.get(post).contains(shown));
  REQUIRE(warmer.get(post).contains(shown));
  return post;
}

}  // namespace

TEST_CASE("pages are read through MariaDB's query cache, and every write shows at once") {
  // Logged-in readers: a visitor's page may come from the page cache instead.
  Client author, reader;
  Account a = confirmed_user(author, "qcauth");
  confirmed_user(reader, "qcread");
  const long id = write_post(author, "cached *one*");
  const std::string profile = "/user/" + a.username;
  const std::string post = "/post/" + std::to_string(id);
  cluster_settled();
  REQUIRE(reader.get(profile).contains("<p>cached <em>one</em></p>"));
  REQUIRE(reader.get(post).contains("<p>cached <em>one</em></p>"));

  // The same pages again: the session (twice), the profile (its user and
  // posts in one statement) and the post (with its comments, one statement)
  // come from the cache.
  CHECK(query_cache_answers(4, [&] {
    CHECK(reader.get(profile).contains("<span class=\"post-count\">1</span>"));
    CHECK(reader.get(post).contains("<p>cached <em>one</em></p>"));
  }));

  // Each kind of write is on the very next read of a page cached before it.
  write_post(author, "cached *two*");
  Reply p = reader.get(profile);
  CHECK(p.contains("<p>cached <em>two</em></p>"));
  CHECK(p.contains("<span class=\"post-count\">2</span>"));
  REQUIRE(submit(author, "/edit/" + std::to_string(id), {{"body", "edited *one*"}}).status == 302);
  CHECK(reader.get(post).contains("<p>edited <em>one</em></p>"));
  CHECK(reader.get(profile).contains("<p>edited <em>one</em></p>"));
  write_comment(reader, id, "a cached comment");
  CHECK(reader.get(post).contains("a cached comment"));
  CHECK(reader.get(post + "?page=-1").contains("a cached comment"));
  REQUIRE(submit(reader, profile, {}, "/follow/" + a.username).status == 302);
  CHECK(reader.get(profile).contains("Followers: <span class=\"badge bg-secondary\">1</span>"));
  CHECK(reader.get("/followers/" + a.username).contains("qcread"));
}

TEST_CASE("a reader's visit, marked once a minute, leaves the pages' cached statements cached") {
  Client author, reader, warmer;
  confirmed_user(author, "qcseenauth");
  Account r = confirmed_user(reader, "qcseen");
  confirmed_user(warmer, "qcwarm");
  // The reader was last seen two minutes ago (this SQL writes users, and
  // drops cached statements), then another reader puts the new post's page
  // in the cache.
  set_last_seen(r.username, "NOW(6) - INTERVAL 120 SECOND");
  const std::string post = post_page_in_query_cache(author, warmer, "seen *cached*");
  // The reader's request marks them seen before its page is read: that
  // write is not to users, so the page's statement is still answered from
  // the cache (the session's, whose row the visit writes, is not).
  const long hits = query_cache_hits();
  REQUIRE(reader.get(post).contains("seen <em>cached</em>"));
  if (stack_name() != "cluster") {  // there the reader may be on another node
    CHECK(query_cache_hits() >= hits + 1);
  }
  CHECK(sql_count("SELECT TIMESTAMPDIFF(SECOND, " + kLastSeen + ", NOW(6))" + kSeenFrom +
                  "WHERE u.username = " + sql_quote(r.username)) < 10);
}

TEST_CASE("a login leaves the pages' cached statements cached") {
  Client author, warmer, someone;
  confirmed_user(author, "qcloginauth");
  Account a = confirmed_user(someone, "qclogin");
  confirmed_user(warmer, "qcloginwarm");
  const std::string post = post_page_in_query_cache(author, warmer, "login *cached*");
  // A login writes its record (user_logins, migration 0016), the user's
  // sight, a session: not users, which the post page's statement reads.
  Client again;
  REQUIRE(login(again, a.email, a.password).status == 302);
  cluster_settled();
  CHECK(
      query_cache_answers(1, [&] { REQUIRE(warmer.get(post).contains("login <em>cached</em>")); }));
  CHECK(sql_count("SELECT l.login_count FROM users u JOIN user_logins l ON l.user_id = u.id "
                  "WHERE u.username = " +
                  sql_quote(a.username)) >= 2);
}

TEST_CASE("a session ends at its expiry, also while MariaDB has its row cached") {
  Client c;
  Account a = confirmed_user(c, "qcexpiry");
  sql("UPDATE sessions SET expires_at = NOW(6) + INTERVAL 2 SECOND WHERE user_id = "
      "(SELECT id FROM users WHERE username = " +
      sql_quote(a.username) + ")");
  // Read twice: the second answer is the cached row, which says nothing of
  // the clock.
  cluster_settled();
  REQUIRE(c.get("/").contains("Log Out"));
  CHECK(query_cache_answers(1, [&] { REQUIRE(c.get("/").contains("Log Out")); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  Reply r = c.get("/");
  CHECK_FALSE(r.contains("Log Out"));
  CHECK(r.contains("Log In"));
}
