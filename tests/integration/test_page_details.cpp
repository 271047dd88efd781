// The small things of every page through nginx: the favicon, the title,
// heading and Open Graph metadata of a post page, the navbar's current item,
// the sentence of an empty list and the way to comment for visitors.
#include <doctest/doctest.h>

#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

TEST_CASE("details: /favicon.ico and the SVG icon exist and every page links them") {
  Client c;
  Reply ico = c.get("/favicon.ico");
  REQUIRE(ico.status == 200);
  REQUIRE(ico.body.size() > 6);
  CHECK(ico.body.compare(0, 4, std::string("\0\0\1\0", 4)) == 0);  // an ICO header
  Reply svg = c.get("/static/favicon.svg");
  CHECK(svg.status == 200);
  CHECK(svg.header("content-type").find("image/svg+xml") == 0);
  Reply home = c.get("/");
  CHECK(home.contains("<link rel=\"icon\" href=\"/favicon.ico\""));
  CHECK(home.contains("<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"));
}

TEST_CASE("details: a post page is titled by its author, has a heading and Open Graph tags") {
  Client c;
  Account a = confirmed_user(c, "og");
  const std::string body = "Tom & \"Jerry\" <b>x</b>\n\nsecond   paragraph " + a.username;
  const long id = write_post(c, body);
  Client visitor;
  Reply r = visitor.get("/post/" + std::to_string(id));
  REQUIRE(r.status == 200);
  CHECK(r.contains("<title>Inkwell - Post by " + a.username + "</title>"));
  CHECK(r.contains("<h1>Post by " + a.username + "</h1>"));
  CHECK(r.contains("<meta property=\"og:type\" content=\"article\">"));
  CHECK(r.contains("<meta property=\"og:title\" content=\"Post by " + a.username + "\">"));
  const std::string base = env_or("INKWELL_BASE_URL", "http://127.0.0.1:8081");
  CHECK(r.contains("<meta property=\"og:url\" content=\"" + base + "/post/" + std::to_string(id) +
                   "\">"));
  // The text of the post, whitespace folded, escaped for the attribute.
  CHECK(
      r.contains("<meta property=\"og:description\" content=\"Tom &amp; &quot;Jerry&quot; "
                 "&lt;b&gt;x&lt;/b&gt; second paragraph " +
                 a.username + "\">"));
  // Other pages are no articles.
  CHECK_FALSE(visitor.get("/").contains("og:type"));
}

TEST_CASE("details: the navbar marks the current page") {
  Client visitor;
  const std::string home_current = "nav-link active\" aria-current=\"page\" href=\"/\"";
  CHECK(visitor.get("/").contains(home_current));
  Reply login = visitor.get("/auth/login");
  CHECK(login.contains("nav-link active\" aria-current=\"page\" href=\"/auth/login\""));
  CHECK_FALSE(login.contains(home_current));

  Client c;
  Account a = confirmed_user(c, "nav");
  Reply profile = c.get("/user/" + a.username);
  CHECK(profile.contains("nav-link active\" aria-current=\"page\" href=\"/user/" + a.username +
                         "\""));
  CHECK_FALSE(profile.contains(home_current));
  CHECK(c.get("/").contains(home_current));
  // Someone else's profile is not "Profile".
  Client other;
  Account b = confirmed_user(other, "nav");
  CHECK_FALSE(c.get("/user/" + b.username).contains("aria-current=\"page\" href=\"/user/"));
}

TEST_CASE("details: empty lists say so") {
  Client c;
  Account a = confirmed_user(c, "empty");
  Client visitor;
  CHECK(visitor.get("/user/" + a.username).contains("No posts yet."));
  Reply followers = visitor.get("/followers/" + a.username);
  CHECK(followers.status == 200);
  const long id = write_post(c, "a post without comments " + a.username);
  Reply post = visitor.get("/post/" + std::to_string(id));
  CHECK(post.contains("No comments yet."));
  CHECK_FALSE(post.contains("No posts yet."));
  // The visitor's profile page may be cached by the other host (cluster).
  settle_page_caches();
  CHECK_FALSE(visitor.get("/user/" + a.username).contains("No posts yet."));
}

TEST_CASE("details: visitors on a post are shown how to comment") {
  Client c;
  Account a = confirmed_user(c, "lic");
  const long id = write_post(c, "comment me " + a.username);
  const std::string path = "/post/" + std::to_string(id);
  Client visitor;
  Reply r = visitor.get(path);
  CHECK(r.contains("<a href=\"/auth/login?next=%2Fpost%2F" + std::to_string(id) +
                   "\">Log in to comment</a>"));
  CHECK_FALSE(r.contains("name=\"body\""));
  Reply mine = c.get(path);
  CHECK_FALSE(mine.contains("Log in to comment"));
  CHECK(mine.contains("name=\"body\""));
}

TEST_CASE("page details: headings go down one level at a time; pagination wraps on a phone") {
  Client c;
  Account a = confirmed_user(c, "hdg");
  REQUIRE(submit(c, "/", {{"body", "a post for the headings"}}).status == 302);
  auto levels = [](const std::string& html) {
    std::vector<int> out;
    for (std::size_t at = html.find("<h"); at != std::string::npos; at = html.find("<h", at + 2)) {
      char d = at + 2 < html.size() ? html[at + 2] : 0;
      if (d >= '1' && d <= '6') out.push_back(d - '0');
    }
    return out;
  };
  const std::string post_url = between(c.get("/user/" + a.username).body, "href=\"/post/", "\"");
  REQUIRE(!post_url.empty());
  for (const std::string& path : {"/user/" + a.username, "/post/" + post_url}) {
    CAPTURE(path);
    std::vector<int> l = levels(c.get(path).body);
    REQUIRE(!l.empty());
    CHECK(l.front() == 1);
    for (std::size_t i = 1; i < l.size(); ++i) CHECK(l[i] <= l[i - 1] + 1);
  }
  Reply css = c.get("/static/styles.css");
  CHECK(css.contains(
      ".pagination { margin-top: 1rem; justify-content: flex-end; flex-wrap: wrap; }"));
}

TEST_CASE("details: fields say required and maxlength, as the server checks them") {
  // The attributes of the field with that id, e.g. ` name="email" ... required maxlength="64"`.
  auto field = [](const std::string& html, const std::string& id) {
    return between(html, "id=\"" + id + "\"", ">");
  };
  auto required = [](const std::string& tag) { return tag.find(" required") != std::string::npos; };
  auto maxlength = [](const std::string& tag) { return between(tag, "maxlength=\"", "\""); };
  Client visitor;
  const std::string reg = visitor.get("/auth/register").body;
  for (const char* id : {"email", "username", "password", "password2"}) {
    CAPTURE(id);
    CHECK(required(field(reg, id)));
  }
  CHECK(maxlength(field(reg, "email")) == "64");
  CHECK(maxlength(field(reg, "username")) == "64");
  CHECK(maxlength(field(reg, "password")).empty());
  const std::string login = visitor.get("/auth/login").body;
  CHECK(required(field(login, "password")));
  CHECK_FALSE(required(field(login, "remember_me")));
  CHECK(maxlength(field(visitor.get("/auth/reset").body, "email")) == "64");

  Client c;
  Account a = confirmed_user(c, "lim");
  const std::string home = c.get("/").body;
  CHECK(required(field(home, "body")));
  CHECK(maxlength(field(home, "body")) == "65535");
  const std::string profile = c.get("/edit-profile").body;
  CHECK(maxlength(field(profile, "name")) == "64");
  CHECK(maxlength(field(profile, "location")) == "64");
  CHECK(maxlength(field(profile, "about_me")) == "65535");
  CHECK_FALSE(required(field(profile, "name")));
  CHECK(required(field(c.get("/auth/change-password").body, "old_password")));

  // The server refuses one byte more than the maxlength, for posts and comments.
  const std::string too_long(65536, 'x');
  Reply refused = submit(c, "/", {{"body", too_long}});
  CHECK(refused.status == 200);
  CHECK(refused.contains("Field cannot be longer than 65535 bytes."));
  CHECK(sql_count("SELECT COUNT(*) FROM posts WHERE author_id = " + user_id(a.username)) == 0);
  const long id = write_post(c, std::string(65535, 'y'));
  const std::string path = "/post/" + std::to_string(id);
  Reply comment = submit(c, path, {{"body", too_long}});
  CHECK(comment.status == 200);
  CHECK(comment.contains("Field cannot be longer than 65535 bytes."));
  CHECK(sql_count("SELECT COUNT(*) FROM comments WHERE post_id = " + std::to_string(id)) == 0);
  CHECK(submit(c, path, {{"body", std::string(100, 'z')}}).status == 302);
}

TEST_CASE("details: times are relative, with a readable tooltip; the scripts are files") {
  Client c;
  Account a = confirmed_user(c, "tim");
  write_post(c, "a post for the times " + a.username);
  const std::string html = c.get("/user/" + a.username).body;
  const std::string time = between(html, "<div class=\"post-date\">", "</div>");
  REQUIRE(!time.empty());
  CAPTURE(time);
  CHECK(time.find("<time datetime=\"20") == 0);
  CHECK(time.find("class=\"ago\"") != std::string::npos);
  CHECK(time.find(">a few seconds ago</time>") != std::string::npos);
  const std::string title = between(time, "title=\"", "\"");
  // "2 December 2026, 12:49 UTC", not the ISO form of datetime.
  CHECK(title.find(" UTC") == title.size() - 4);
  CHECK(title.find('Z') == std::string::npos);
  CHECK(title.find('-') == std::string::npos);
  CHECK(title.find(", ") != std::string::npos);
  CHECK(html.find("Member since <time datetime=\"") != std::string::npos);
  CHECK(occurrences(html, "class=\"ago\" title=\"") >= 3);  // member since, last seen, the post
  for (const char* script : {"/static/times.js", "/static/forms.js"}) {
    CAPTURE(script);
    CHECK(html.find(std::string("<script src=\"") + script + "\"></script>") != std::string::npos);
    Reply js = c.get(script);
    CHECK(js.status == 200);
    CHECK(js.header("content-type").find("javascript") != std::string::npos);
  }
  CHECK(c.get("/static/times.js").contains("a few seconds ago"));
}
