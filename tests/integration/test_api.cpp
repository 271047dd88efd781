// The JSON API /api/v1 through nginx (SPEC §6, §3): the contract of the
// original Flasky API tests (404, authentication by password and token,
// unconfirmed accounts, posts, users, comments) plus pagination, bad input,
// permissions, no cookies and no CSRF.
#include <doctest/doctest.h>

#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "auth_helpers.hpp"
#include "client.hpp"
#include "core/security.hpp"

using namespace itest;
using namespace itest::auth;
using nlohmann::json;

namespace {

const std::string kInvalidCredentials = "Invalid credentials";

struct ApiUser {
  std::string email, username, password;
  long id = 0;
  std::string auth() const { return basic(email, password); }
  std::string url() const { return "/api/v1/users/" + std::to_string(id); }
};

// A user made with `inkwell create-user` (much faster than the mailed link).
ApiUser make_user(const std::string& prefix, bool confirmed = true, bool admin = false) {
  Account a = new_account(prefix);
  ApiUser u{a.email, a.username, a.password, 0};
  std::string cmd = "printf '%s\\n' '" + u.password + "' | " +
                    env_or("INKWELL_BUILD_DIR", "build") + "/inkwell create-user --email '" +
                    u.email + "' --username '" + u.username + "'" +
                    (confirmed ? " --confirmed" : "") + (admin ? " --admin" : "") + " 2>&1";
  int status = -1;
  std::string out = run(cmd, &status);
  REQUIRE_MESSAGE(status == 0, cmd << "\n" << out);
  const std::string marker = "created user ";
  std::size_t at = out.find(marker);
  REQUIRE_MESSAGE(at != std::string::npos, out);
  u.id = std::stol(out.substr(at + marker.size()));
  REQUIRE(u.id > 0);
  return u;
}

json json_of(const Reply& r) {
  CHECK_MESSAGE(r.header("content-type").rfind("application/json", 0) == 0,
                "Content-Type " << r.header("content-type") << " for " << r.status << "\n"
                                << r.body);
  json j = json::parse(r.body, nullptr, false);
  CHECK_MESSAGE(!j.is_discarded(), "not JSON (" << r.status << "): " << r.body);
  return j.is_discarded() ? json::object() : j;
}

// A JSON error: status, {"error": error[, "message": message]}.
void check_error(const Reply& r, long status, const std::string& error,
                 const std::string& message = "") {
  CHECK_MESSAGE(r.status == status, "expected " << status << ", got " << r.status << "\n"
                                                << r.body);
  json j = json_of(r);
  CHECK_MESSAGE(j.value("error", "") == error, r.body);
  if (!message.empty()) CHECK_MESSAGE(j.value("message", "") == message, r.body);
}

// No response of the API sets a cookie.
void check_no_cookie(const Reply& r) {
  CHECK_MESSAGE(r.headers.count("set-cookie") == 0, "Set-Cookie: " << r.header("set-cookie"));
}

// A client of the API with one Authorization header.
struct Api {
  Client c;
  std::string auth;
  explicit Api(std::string header) : auth(std::move(header)) {}
  Reply get(const std::string& path) { return c.get(path, {auth}); }
  Reply post(const std::string& path, const std::string& body,
             const std::string& type = "application/json") {
    return c.post(path, body, type, {auth});
  }
  Reply put(const std::string& path, const std::string& body,
            const std::string& type = "application/json") {
    return c.request("PUT", path, body, {auth, "Content-Type: " + type});
  }
};

std::string post_body(const std::string& text) {
  return json{{"body", text}}.dump();
}

// The id at the end of an API url ("/api/v1/posts/12" → 12), 0 if none.
long id_of(const std::string& url) {
  std::size_t slash = url.find_last_of('/');
  if (slash == std::string::npos || slash + 1 >= url.size()) return 0;
  try {
    return std::stol(url.substr(slash + 1));
  } catch (const std::exception&) {
    return 0;
  }
}

// Creates a post through the API; REQUIREs the 201; returns its id.
long create_post(Api& api, const std::string& text) {
  Reply r = api.post("/api/v1/posts/", post_body(text));
  REQUIRE_MESSAGE(r.status == 201, r.status << "\n" << r.body);
  long id = id_of(r.header("location"));
  REQUIRE(id > 0);
  return id;
}

long count_of(Api& api, const std::string& path) {
  Reply r = api.get(path);
  REQUIRE_MESSAGE(r.status == 200, path << ": " << r.status << "\n" << r.body);
  json j = json_of(r);
  REQUIRE(j.contains("count"));
  return j["count"].get<long>();
}

bool is_iso(const json& v) {
  static const std::regex kIso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  return v.is_string() && std::regex_match(v.get<std::string>(), kIso);
}

// Walks a paginated list from `path` following `next`: every item's url, in
// order; CHECKs prev/next consistency and count on every page.
std::vector<std::string> walk(Api& api, const std::string& path, const std::string& key,
                              long* count = nullptr) {
  std::vector<std::string> urls;
  std::string url = path;
  std::string prev_page;  // the page we came from
  long total = -1;
  for (int page = 1; page <= 100 && !url.empty(); ++page) {
    Reply r = api.get(url);
    REQUIRE_MESSAGE(r.status == 200, url << ": " << r.status << "\n" << r.body);
    json j = json_of(r);
    REQUIRE(j.contains(key));
    REQUIRE(j[key].is_array());
    REQUIRE(j.contains("prev"));
    REQUIRE(j.contains("next"));
    REQUIRE(j.contains("count"));
    if (total < 0) total = j["count"].get<long>();
    CHECK(j["count"].get<long>() == total);
    if (page == 1) {
      CHECK(j["prev"].is_null());
    } else {
      CHECK(j["prev"] == path + "?page=" + std::to_string(page - 1));
    }
    for (const auto& item : j[key]) urls.push_back(item.value("url", ""));
    if (j["next"].is_null()) {
      url.clear();
    } else {
      CHECK(j["next"] == path + "?page=" + std::to_string(page + 1));
      CHECK(!j[key].empty());
      url = j["next"].get<std::string>();
    }
  }
  if (count) *count = total;
  return urls;
}

}  // namespace

TEST_CASE("api: unknown API URLs are a JSON 404, with or without credentials") {
  ApiUser u = make_user("api404");
  Client anon;
  for (const std::string path :
       {"/api/v1/wrong/url", "/api/v1/posts/abc", "/api/v2/posts/", "/api/"}) {
    CAPTURE(path);
    Reply r = anon.get(path);
    check_error(r, 404, "not found");
    check_no_cookie(r);
    Reply a = anon.get(path, {u.auth()});
    check_error(a, 404, "not found");
    check_no_cookie(a);
  }
  // Known URL shapes with unknown ids.
  Api api(u.auth());
  check_error(api.get("/api/v1/posts/999999999"), 404, "not found");
  check_error(api.get("/api/v1/users/999999999"), 404, "not found");
  check_error(api.get("/api/v1/users/999999999/posts/"), 404, "not found");
  check_error(api.get("/api/v1/users/999999999/timeline/"), 404, "not found");
  check_error(api.get("/api/v1/posts/999999999/comments/"), 404, "not found");
  check_error(api.get("/api/v1/comments/999999999"), 404, "not found");
  check_error(api.put("/api/v1/posts/999999999", post_body("x")), 404, "not found");
  check_error(api.post("/api/v1/posts/999999999/comments/", post_body("x")), 404, "not found");
}

TEST_CASE("api: a non-API page asked for JSON only answers with a JSON error") {
  Client c;
  Reply r = c.get("/no-such-page", {"Accept: application/json"});
  check_error(r, 404, "not found");
  // A browser still gets the HTML page.
  Reply html = c.get("/no-such-page", {"Accept: text/html,application/json;q=0.9"});
  CHECK(html.status == 404);
  CHECK(html.header("content-type").rfind("text/html", 0) == 0);
}

TEST_CASE("api: every route needs credentials: 401 Invalid credentials") {
  Client c;
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"GET", "/api/v1/posts/"},
      {"POST", "/api/v1/posts/"},
      {"GET", "/api/v1/posts/1"},
      {"PUT", "/api/v1/posts/1"},
      {"GET", "/api/v1/posts/1/comments/"},
      {"POST", "/api/v1/posts/1/comments/"},
      {"GET", "/api/v1/users/1"},
      {"GET", "/api/v1/users/1/posts/"},
      {"GET", "/api/v1/users/1/timeline/"},
      {"GET", "/api/v1/comments/"},
      {"GET", "/api/v1/comments/1"},
      {"POST", "/api/v1/tokens/"},
  };
  for (const auto& [method, path] : routes) {
    CAPTURE(method);
    CAPTURE(path);
    std::vector<std::string> headers;
    std::string body;
    if (method != "GET") {
      headers.push_back("Content-Type: application/json");
      body = post_body("no credentials");
    }
    Reply r = c.request(method, path, body, headers);
    check_error(r, 401, "unauthorized", kInvalidCredentials);
    check_no_cookie(r);
  }
}

TEST_CASE("api: bad credentials are a 401") {
  ApiUser u = make_user("apibad");
  Client c;
  auto check_401 = [&c](const std::string& header) {
    CAPTURE(header);
    Reply r = c.get("/api/v1/posts/", {header});
    check_error(r, 401, "unauthorized", kInvalidCredentials);
    check_no_cookie(r);
  };
  // The only failed password of this file (the login throttle counts them).
  check_401(basic(u.email, "wrong-password"));
  // Anonymous: empty user and password; empty user with a password.
  check_401(basic("", ""));
  check_401(basic("", u.password));
  // A bad token, an email used as a token (empty password).
  check_401(basic("not-a-token", ""));
  check_401(basic(u.email, ""));
  // Garbage headers.
  check_401("Authorization: Bearer " + u.password);
  check_401("Authorization: Basic");
  check_401("Authorization: Basic !!!not*base64!!!");
  check_401("Authorization: Basic " + base64("no colon here"));
  check_401("Authorization: Basic " + base64(u.email + ":" + u.password) + "garbage%");
  check_401("Authorization: Digest username=\"" + u.email + "\"");
  check_401("Authorization: " + base64(u.email + ":" + u.password));
  // And the right password still works afterwards.
  Reply ok = c.get("/api/v1/posts/", {u.auth()});
  CHECK(ok.status == 200);
  check_no_cookie(ok);
}

TEST_CASE("api: an unconfirmed account is a 403 Unconfirmed account") {
  ApiUser u = make_user("apiunconf", false);
  Api api(u.auth());
  Reply r = api.get("/api/v1/posts/");
  check_error(r, 403, "forbidden", "Unconfirmed account");
  check_no_cookie(r);
  check_error(api.post("/api/v1/tokens/", ""), 403, "forbidden", "Unconfirmed account");
  check_error(api.post("/api/v1/posts/", post_body("unconfirmed")), 403, "forbidden",
              "Unconfirmed account");
  CHECK(sql_count("SELECT COUNT(*) FROM posts WHERE author_id = " + std::to_string(u.id)) == 0);
  // A token made for the account (by the secret key, with the account's
  // token version) is refused the same way.
  std::string token = inkwell::security::make_token(secret_key(), "api", u.id,
                                                    std::time(nullptr) + 600, token_extra(u.id));
  check_error(Api(basic(token, "")).get("/api/v1/posts/"), 403, "forbidden", "Unconfirmed account");
}

TEST_CASE("api: token authentication") {
  ApiUser u = make_user("apitok");
  Api by_password(u.auth());
  Reply r = by_password.post("/api/v1/tokens/", "");
  REQUIRE_MESSAGE(r.status == 200, r.status << "\n" << r.body);
  check_no_cookie(r);
  json j = json_of(r);
  REQUIRE(j.contains("token"));
  REQUIRE(j["token"].is_string());
  CHECK(j["expiration"] == 3600);
  std::string token = j["token"].get<std::string>();
  CHECK(!token.empty());

  Api by_token(basic(token, ""));
  Reply posts = by_token.get("/api/v1/posts/");
  CHECK(posts.status == 200);
  check_no_cookie(posts);
  CHECK(json_of(posts).contains("posts"));
  // The token writes as its user.
  long id = create_post(by_token, "written with a token");
  json p = json_of(by_token.get("/api/v1/posts/" + std::to_string(id)));
  CHECK(p["author_url"] == u.url());

  // A token cannot get a new token.
  Reply again = by_token.post("/api/v1/tokens/", "");
  check_error(again, 401, "unauthorized", kInvalidCredentials);
  CHECK(!json_of(again).contains("token"));

  // A token with a password is not a token; a damaged token is refused.
  check_error(Api(basic(token, "x")).get("/api/v1/posts/"), 401, "unauthorized");
  std::string damaged = token;
  damaged[damaged.size() / 2] = damaged[damaged.size() / 2] == 'A' ? 'B' : 'A';
  check_error(Api(basic(damaged, "")).get("/api/v1/posts/"), 401, "unauthorized",
              kInvalidCredentials);
  // Expired, for another purpose, or for an unknown user.
  std::string key = secret_key();
  std::string expired = inkwell::security::make_token(key, "api", u.id, std::time(nullptr) - 10);
  check_error(Api(basic(expired, "")).get("/api/v1/posts/"), 401, "unauthorized",
              kInvalidCredentials);
  std::string confirm =
      inkwell::security::make_token(key, "confirm", u.id, std::time(nullptr) + 600);
  check_error(Api(basic(confirm, "")).get("/api/v1/posts/"), 401, "unauthorized",
              kInvalidCredentials);
  std::string ghost =
      inkwell::security::make_token(key, "api", 999999999, std::time(nullptr) + 600);
  check_error(Api(basic(ghost, "")).get("/api/v1/posts/"), 401, "unauthorized",
              kInvalidCredentials);
  std::string forged =
      inkwell::security::make_token("not the key", "api", u.id, std::time(nullptr) + 600);
  check_error(Api(basic(forged, "")).get("/api/v1/posts/"), 401, "unauthorized",
              kInvalidCredentials);
}

TEST_CASE("api: a browser session does not authenticate the API") {
  ApiUser u = make_user("apisess");
  Client c;
  Reply in = login(c, u.email, u.password);
  REQUIRE_MESSAGE(in.status == 302, in.status << "\n" << in.body);
  REQUIRE(!c.cookie("session").empty());
  Reply r = c.get("/api/v1/posts/");
  check_error(r, 401, "unauthorized", kInvalidCredentials);
  check_no_cookie(r);
  Reply w = c.post("/api/v1/posts/", post_body("from a cookie"), "application/json");
  check_error(w, 401, "unauthorized", kInvalidCredentials);
  CHECK(sql_count("SELECT COUNT(*) FROM posts WHERE author_id = " + std::to_string(u.id)) == 0);
}

TEST_CASE("api: posts: create, read back, list, timeline; no cookies and no CSRF") {
  ApiUser u = make_user("apipost");
  Api api(u.auth());

  // An empty body, a missing body, a null body.
  check_error(api.post("/api/v1/posts/", post_body("")), 400, "bad request",
              "post does not have a body");
  check_error(api.post("/api/v1/posts/", "{}"), 400, "bad request", "post does not have a body");
  check_error(api.post("/api/v1/posts/", R"({"text": "x"})"), 400, "bad request",
              "post does not have a body");
  check_error(api.post("/api/v1/posts/", R"({"body": null})"), 400, "bad request",
              "post does not have a body");
  CHECK(count_of(api, u.url() + "/posts/") == 0);

  // A post, with Basic auth and no csrf_token: CSRF does not apply.
  Reply r = api.post("/api/v1/posts/", post_body("body of the *blog* post"));
  REQUIRE_MESSAGE(r.status == 201, r.status << "\n" << r.body);
  check_no_cookie(r);
  std::string location = r.header("location");
  const std::string prefix = base_url() + "/api/v1/posts/";
  REQUIRE_MESSAGE(location.rfind(prefix, 0) == 0, location);
  long id = id_of(location);
  REQUIRE(id > 0);
  CHECK(location == prefix + std::to_string(id));
  std::string url = "/api/v1/posts/" + std::to_string(id);
  json created = json_of(r);
  CHECK(created["url"] == url);
  CHECK(created["body"] == "body of the *blog* post");

  // Read it back.
  Reply g = api.get(location);
  REQUIRE(g.status == 200);
  check_no_cookie(g);
  json p = json_of(g);
  CHECK(p["url"] == url);
  CHECK(p["body"] == "body of the *blog* post");
  CHECK(p["body_html"] == "<p>body of the <em>blog</em> post</p>");
  CHECK(p["author_url"] == u.url());
  CHECK(p["comments_url"] == url + "/comments/");
  CHECK(p["comment_count"] == 0);
  CHECK_MESSAGE(is_iso(p["timestamp"]), p["timestamp"].dump());
  CHECK(p.size() == 7);  // exactly the fields of SPEC §6
  CHECK(created == p);

  // The author's posts.
  json mine = json_of(api.get(u.url() + "/posts/"));
  CHECK(mine["count"] == 1);
  REQUIRE(mine["posts"].size() == 1);
  CHECK(mine["posts"][0] == p);
  CHECK(mine["prev"].is_null());
  CHECK(mine["next"].is_null());

  // The timeline: everyone follows themselves.
  json feed = json_of(api.get(u.url() + "/timeline/"));
  CHECK(feed["count"] == 1);
  REQUIRE(feed["posts"].size() == 1);
  CHECK(feed["posts"][0]["url"] == url);
  CHECK(feed["prev"].is_null());
  CHECK(feed["next"].is_null());

  // The global list has it on top (newest first).
  json all = json_of(api.get("/api/v1/posts/"));
  REQUIRE(!all["posts"].empty());
  CHECK(all["posts"][0]["url"] == url);
  CHECK(all["count"].get<long>() >= 1);

  // The user's post count.
  CHECK(json_of(api.get(u.url()))["post_count"] == 1);
}

TEST_CASE("api: a timeline has the posts of the followed users") {
  ApiUser reader = make_user("apifollower");
  ApiUser writer = make_user("apifollowed");
  ApiUser other = make_user("apinotfollowed");
  Api rapi(reader.auth()), wapi(writer.auth()), oapi(other.auth());
  long own = create_post(rapi, "reader's post");
  long followed = create_post(wapi, "writer's post");
  long unrelated = create_post(oapi, "someone else's post");

  // Follow through the HTML route (a session and its csrf_token).
  Client browser;
  REQUIRE(login(browser, reader.email, reader.password).status == 302);
  Reply f = submit(browser, "/auth/change-password", {}, "/follow/" + writer.username);
  REQUIRE_MESSAGE(f.status == 302, f.status << "\n" << f.body);

  long count = 0;
  std::vector<std::string> urls = walk(rapi, reader.url() + "/timeline/", "posts", &count);
  CHECK(count == 2);
  REQUIRE(urls.size() == 2);
  CHECK(urls[0] == "/api/v1/posts/" + std::to_string(followed));  // newest first
  CHECK(urls[1] == "/api/v1/posts/" + std::to_string(own));
  for (const auto& u : urls) CHECK(u != "/api/v1/posts/" + std::to_string(unrelated));
  // The writer's timeline is unchanged: following is one-way.
  CHECK(walk(rapi, writer.url() + "/timeline/", "posts") ==
        std::vector<std::string>{"/api/v1/posts/" + std::to_string(followed)});
}

TEST_CASE("api: editing posts: the author and administrators only") {
  ApiUser author = make_user("apiauthor");
  ApiUser stranger = make_user("apistranger");
  ApiUser admin = make_user("apiadmin", true, true);
  Api mine(author.auth()), theirs(stranger.auth()), boss(admin.auth());
  long id = create_post(mine, "first version");
  std::string url = "/api/v1/posts/" + std::to_string(id);

  Reply e = mine.put(url, post_body("second *version*"));
  REQUIRE_MESSAGE(e.status == 200, e.status << "\n" << e.body);
  check_no_cookie(e);
  json p = json_of(e);
  CHECK(p["url"] == url);
  CHECK(p["body"] == "second *version*");
  CHECK(p["body_html"] == "<p>second <em>version</em></p>");
  CHECK(p["author_url"] == author.url());
  json again = json_of(mine.get(url));
  CHECK(again["body"] == "second *version*");
  CHECK(again["body_html"] == "<p>second <em>version</em></p>");

  // An empty body is refused and changes nothing.
  check_error(mine.put(url, post_body("")), 400, "bad request", "post does not have a body");
  check_error(mine.put(url, "{}"), 400, "bad request", "post does not have a body");
  CHECK(json_of(mine.get(url))["body"] == "second *version*");

  // Someone else: 403, nothing changes.
  Reply no = theirs.put(url, post_body("hijacked"));
  check_error(no, 403, "forbidden", "Insufficient permissions");
  CHECK(json_of(mine.get(url))["body"] == "second *version*");

  // An administrator may.
  Reply yes = boss.put(url, post_body("moderated **text**"));
  REQUIRE_MESSAGE(yes.status == 200, yes.status << "\n" << yes.body);
  json q = json_of(yes);
  CHECK(q["body"] == "moderated **text**");
  CHECK(q["body_html"] == "<p>moderated <strong>text</strong></p>");
  CHECK(q["author_url"] == author.url());  // still the author's post
  CHECK(json_of(mine.get(url))["body"] == "moderated **text**");
  CHECK(count_of(mine, author.url() + "/posts/") == 1);
  CHECK(count_of(boss, admin.url() + "/posts/") == 0);
}

TEST_CASE("api: users") {
  ApiUser u = make_user("apiuser");
  ApiUser v = make_user("apiuser");
  Api api(u.auth());
  create_post(api, "one");
  create_post(api, "two");

  Reply r = Api(v.auth()).get(u.url());
  REQUIRE(r.status == 200);
  check_no_cookie(r);
  json j = json_of(r);
  CHECK(j["url"] == u.url());
  CHECK(j["username"] == u.username);
  CHECK_MESSAGE(is_iso(j["member_since"]), j.dump());
  CHECK_MESSAGE(is_iso(j["last_seen"]), j.dump());
  CHECK(j["posts_url"] == u.url() + "/posts/");
  CHECK(j["followed_posts_url"] == u.url() + "/timeline/");
  CHECK(j["post_count"] == 2);
  CHECK(j.size() == 7);  // exactly the fields of SPEC §6
  // Nothing private.
  CHECK(!j.contains("email"));
  CHECK(!j.contains("password"));
  CHECK(!j.contains("password_hash"));
  CHECK(r.body.find(u.email) == std::string::npos);

  // The links work.
  CHECK(count_of(api, j["posts_url"].get<std::string>()) == 2);
  CHECK(count_of(api, j["followed_posts_url"].get<std::string>()) == 2);
  check_error(api.get("/api/v1/users/0"), 404, "not found");
  check_error(api.get("/api/v1/users/999999999"), 404, "not found");
}

TEST_CASE("api: comments") {
  ApiUser author = make_user("apicauthor");
  ApiUser commenter = make_user("apicommenter");
  Api a(author.auth()), c(commenter.auth());
  long post_id = create_post(a, "a post to comment on");
  std::string post_url = "/api/v1/posts/" + std::to_string(post_id);
  std::string comments_url = post_url + "/comments/";

  check_error(c.post(comments_url, post_body("")), 400, "bad request",
              "comment does not have a body");
  check_error(c.post(comments_url, "{}"), 400, "bad request", "comment does not have a body");
  CHECK(count_of(c, comments_url) == 0);

  Reply r = c.post(comments_url, post_body("Good [post](http://example.com)!"));
  REQUIRE_MESSAGE(r.status == 201, r.status << "\n" << r.body);
  check_no_cookie(r);
  std::string location = r.header("location");
  const std::string prefix = base_url() + "/api/v1/comments/";
  REQUIRE_MESSAGE(location.rfind(prefix, 0) == 0, location);
  long id = id_of(location);
  REQUIRE(id > 0);
  CHECK(location == prefix + std::to_string(id));
  std::string url = "/api/v1/comments/" + std::to_string(id);

  Reply g = c.get(location);
  REQUIRE(g.status == 200);
  json cm = json_of(g);
  CHECK(cm["url"] == url);
  CHECK(cm["post_url"] == post_url);
  CHECK(cm["body"] == "Good [post](http://example.com)!");
  std::string html = cm.value("body_html", "");
  CHECK_MESSAGE(html.find("<a href=\"http://example.com\"") != std::string::npos, html);
  CHECK_MESSAGE(html.find(">post</a>!") != std::string::npos, html);
  CHECK(html.rfind("<p>Good ", 0) == 0);
  CHECK(cm["author_url"] == commenter.url());
  CHECK_MESSAGE(is_iso(cm["timestamp"]), cm.dump());
  CHECK(cm.size() == 6);  // exactly the fields of SPEC §6
  CHECK(json_of(r) == cm);

  // Raw HTML and dangerous links are not passed through.
  Reply x = c.post(comments_url, post_body("<script>alert(1)</script> [x](javascript:alert(1)) "
                                           "<img src=x onerror=alert(1)>"));
  REQUIRE(x.status == 201);
  std::string unsafe = json_of(c.get(x.header("location"))).value("body_html", "");
  CHECK_MESSAGE(unsafe.find("<script") == std::string::npos, unsafe);
  CHECK_MESSAGE(unsafe.find("<img") == std::string::npos, unsafe);
  CHECK_MESSAGE(unsafe.find("javascript:") == std::string::npos, unsafe);
  long xid = id_of(x.header("location"));

  // A second comment, by the author: oldest first under the post.
  Reply r2 = a.post(comments_url, post_body("Thank you!"));
  REQUIRE(r2.status == 201);
  long id2 = id_of(r2.header("location"));

  json list = json_of(c.get(comments_url));
  CHECK(list["count"] == 3);
  REQUIRE(list["comments"].size() == 3);
  CHECK(list["comments"][0] == cm);
  CHECK(list["comments"][1]["url"] == "/api/v1/comments/" + std::to_string(xid));
  CHECK(list["comments"][2]["url"] == "/api/v1/comments/" + std::to_string(id2));
  CHECK(list["comments"][2]["author_url"] == author.url());
  CHECK(list["prev"].is_null());
  CHECK(list["next"].is_null());

  // All comments: newest first.
  json all = json_of(c.get("/api/v1/comments/"));
  REQUIRE(all["comments"].size() >= 3);
  CHECK(all["comments"][0]["url"] == "/api/v1/comments/" + std::to_string(id2));
  CHECK(all["comments"][1]["url"] == "/api/v1/comments/" + std::to_string(xid));
  CHECK(all["comments"][2]["url"] == url);
  CHECK(all["count"].get<long>() >= 3);
  CHECK(all["prev"].is_null());

  // The post counts them.
  CHECK(json_of(c.get(post_url))["comment_count"] == 3);
  CHECK(json_of(c.get(comments_url))["count"] == 3);
}

TEST_CASE("api: pagination of a user's posts and of all posts") {
  ApiUser u = make_user("apipages");
  Api api(u.auth());
  const long per_page = std::stol(env_or("INKWELL_POSTS_PER_PAGE", "20"));
  const long n = per_page + 6;  // two pages, the second part full
  std::vector<long> ids;
  for (long i = 0; i < n; ++i) ids.push_back(create_post(api, "post number " + std::to_string(i)));

  long count = 0;
  std::vector<std::string> urls = walk(api, u.url() + "/posts/", "posts", &count);
  CHECK(count == n);
  REQUIRE(static_cast<long>(urls.size()) == n);
  for (long i = 0; i < n; ++i) {
    CHECK(urls[i] == "/api/v1/posts/" + std::to_string(ids[n - 1 - i]));  // newest first
  }
  CHECK(std::set<std::string>(urls.begin(), urls.end()).size() == urls.size());

  // The pages themselves: first full, second the rest, third past the end.
  json first = json_of(api.get(u.url() + "/posts/"));
  CHECK(static_cast<long>(first["posts"].size()) == per_page);
  CHECK(first["prev"].is_null());
  CHECK(first["next"] == u.url() + "/posts/?page=2");
  json second = json_of(api.get(u.url() + "/posts/?page=2"));
  CHECK(static_cast<long>(second["posts"].size()) == n - per_page);
  CHECK(second["prev"] == u.url() + "/posts/?page=1");
  CHECK(second["next"].is_null());
  CHECK(second["count"] == n);
  Reply past = api.get(u.url() + "/posts/?page=99");
  CHECK(past.status == 200);
  CHECK(json_of(past)["posts"].empty());
  // A malformed, zero or negative page number is the first page; -1 the last.
  for (const std::string q : {"abc", "0", "-5", "", "1.5", "%31"}) {
    CAPTURE(q);
    Reply bad = api.get(u.url() + "/posts/?page=" + q);
    CHECK(bad.status == 200);
    CHECK(json_of(bad)["posts"] == first["posts"]);
    CHECK(json_of(bad)["prev"].is_null());
  }
  Reply last = api.get(u.url() + "/posts/?page=-1");
  CHECK(last.status == 200);
  CHECK(json_of(last)["posts"] == second["posts"]);
  // Huge page numbers are an empty page, never an overflow or a 500; one
  // that does not even fit a long is malformed, hence the first page.
  for (const std::string q :
       {"9223372036854775807", "461168601842738791", "99999999999999999999"}) {
    CAPTURE(q);
    Reply huge = api.get(u.url() + "/posts/?page=" + q);
    CHECK(huge.status == 200);
    json h = json_of(huge);
    CHECK(h["count"] == n);
    if (q.size() > 19) {
      CHECK(h["posts"] == first["posts"]);
    } else {
      CHECK(h["posts"].empty());
      CHECK(h["next"].is_null());
    }
    CHECK(api.get(std::string("/api/v1/posts/?page=") + q).status == 200);
    CHECK(api.get(std::string("/api/v1/comments/?page=") + q).status == 200);
    CHECK(api.get(u.url() + "/timeline/?page=" + q).status == 200);
  }

  // The timeline pages the same way (only the user follows themselves).
  long tcount = 0;
  CHECK(walk(api, u.url() + "/timeline/", "posts", &tcount) == urls);
  CHECK(tcount == n);

  // All posts: two pages, consistent links, no duplicates, newest first.
  json p1 = json_of(api.get("/api/v1/posts/"));
  json p2 = json_of(api.get("/api/v1/posts/?page=2"));
  CHECK(p1["prev"].is_null());
  CHECK(p1["next"] == "/api/v1/posts/?page=2");
  CHECK(p2["prev"] == "/api/v1/posts/?page=1");
  CHECK(p1["count"].get<long>() >= n);
  CHECK(p1["count"] == p2["count"]);
  REQUIRE(static_cast<long>(p1["posts"].size()) == per_page);
  REQUIRE(!p2["posts"].empty());
  CHECK(p1["posts"][0]["url"] == "/api/v1/posts/" + std::to_string(ids.back()));
  std::set<std::string> seen;
  long previous = 0;
  for (const json* page : {&p1, &p2}) {
    for (const auto& post : (*page)["posts"]) {
      std::string url = post.value("url", "");
      CHECK_MESSAGE(seen.insert(url).second, "duplicate " << url);
      long id = id_of(url);
      if (previous) CHECK(id < previous);
      previous = id;
    }
  }
  // The user's posts are the newest of the site: all of page 1 is theirs.
  for (const auto& post : p1["posts"]) CHECK(post["author_url"] == u.url());
}

TEST_CASE("api: bad input is refused and creates nothing") {
  ApiUser u = make_user("apiinput");
  Api api(u.auth());
  long id = create_post(api, "the only post");
  std::string url = "/api/v1/posts/" + std::to_string(id);
  std::string mine = u.url() + "/posts/";
  const long before = count_of(api, mine);
  REQUIRE(before == 1);
  // Posts a subcase made on purpose (valid bodies); every refusal adds none.
  // (No early return from a SUBCASE: doctest would never see the later ones.)
  long made = 0;

  auto refused = [&](const Reply& r, long status) {
    CHECK_MESSAGE(r.status == status, "expected " << status << ", got " << r.status << "\n"
                                                  << r.body);
    check_no_cookie(r);
    // JSON always, also for the 413 that nginx answers itself.
    json j = json_of(r);
    CHECK(j.contains("error"));
    CHECK_MESSAGE(j.value("message", "") != "", r.body);
  };

  SUBCASE("malformed JSON") {
    for (const std::string body : {"{", "{\"body\": ", "{\"body\": \"x\",}", "body=x", "", "nul"}) {
      CAPTURE(body);
      refused(api.post("/api/v1/posts/", body), 400);
      refused(api.put(url, body), 400);
      refused(api.post(url + "/comments/", body), 400);
    }
  }
  SUBCASE("wrong Content-Type") {
    const std::string good = post_body("a perfectly good body");
    for (const std::string type : {"text/plain", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", "application/jsonx"}) {
      CAPTURE(type);
      refused(api.post("/api/v1/posts/", good, type), 415);
      refused(api.put(url, good, type), 415);
      refused(api.post(url + "/comments/", good, type), 415);
    }
    refused(api.post("/api/v1/posts/", "body=form+style", "application/x-www-form-urlencoded"),
            415);
    // A charset parameter is fine, and media types are case-insensitive
    // (RFC 9110 §8.3.1; Werkzeug's is_json lower-cases them too).
    for (const std::string type : {"application/json; charset=utf-8", "Application/JSON"}) {
      CAPTURE(type);
      Reply ok = api.post("/api/v1/posts/", post_body(std::string("typed ") + type), type);
      CHECK_MESSAGE(ok.status == 201, ok.status << "\n" << ok.body);
      if (ok.status == 201) ++made;
    }
  }
  SUBCASE("JSON that is not an object, or a body that is not a string") {
    for (const std::string body :
         {"[]", "\"x\"", "5", "null", "[{\"body\": \"x\"}]", "{\"body\": 5}", "{\"body\": true}",
          "{\"body\": [\"x\"]}", "{\"body\": {\"text\": \"x\"}}"}) {
      CAPTURE(body);
      refused(api.post("/api/v1/posts/", body), 400);
      refused(api.put(url, body), 400);
      refused(api.post(url + "/comments/", body), 400);
    }
  }
  SUBCASE("deeply nested JSON is a 400, not a crash") {
    const std::size_t depth = 400000;  // under nginx's 1 MiB
    const std::string deep = std::string(depth, '[') + std::string(depth, ']');
    for (const std::string& body :
         {deep, "{\"body\": " + deep + "}", "{\"x\": " + deep + ", \"body\": \"\"}"}) {
      CAPTURE(body.substr(0, 40));
      refused(api.post("/api/v1/posts/", body), 400);
      refused(api.post(url + "/comments/", body), 400);
    }
    CHECK(api.get(url).status == 200);  // the workers are alive
  }
  SUBCASE("invalid UTF-8 and NUL bytes") {
    const std::vector<std::string> bodies = {
        std::string("{\"body\": \"bad \xC3\x28 byte\"}"),
        std::string("{\"body\": \"overlong \xC0\xAF\"}"),
        std::string("{\"body\": \"surrogate \xED\xA0\x80\"}"),
        std::string("{\"body\": \"truncated \xE2\x82\"}"),
        "{\"body\": \"lone \\ud800 surrogate\"}",
        "{\"body\": \"nul \\u0000 byte\"}",
        std::string("{\"body\": \"raw nul ") + std::string(1, '\0') + " byte\"}",
    };
    for (const auto& body : bodies) {
      CAPTURE(body);
      refused(api.post("/api/v1/posts/", body), 400);
      refused(api.put(url, body), 400);
      refused(api.post(url + "/comments/", body), 400);
    }
    // Valid UTF-8 is kept as it is.
    long ok = create_post(api, "caf\xC3\xA9 \xE2\x98\x95 \xF0\x9F\x93\x9D");
    ++made;
    CHECK(json_of(api.get("/api/v1/posts/" + std::to_string(ok)))["body"] ==
          "caf\xC3\xA9 \xE2\x98\x95 \xF0\x9F\x93\x9D");
  }
  SUBCASE("a body over 1 MiB") {
    std::string huge = post_body(std::string(2 * 1024 * 1024, 'a'));
    refused(api.post("/api/v1/posts/", huge), 413);
    refused(api.put(url, huge), 413);
    refused(api.post(url + "/comments/", huge), 413);
  }
  SUBCASE("unknown methods on known URLs are a JSON 405") {
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"DELETE", url},
             {"PATCH", url},
             {"POST", url},
             {"DELETE", "/api/v1/posts/"},
             {"PUT", "/api/v1/posts/"},
             {"PUT", "/api/v1/users/" + std::to_string(u.id)},
             {"DELETE", "/api/v1/comments/"},
             {"GET", "/api/v1/tokens/"}}) {
      CAPTURE(method);
      CAPTURE(path);
      for (bool with_auth : {false, true}) {
        std::vector<std::string> headers{"Content-Type: application/json"};
        if (with_auth) headers.push_back(api.auth);
        Reply r = api.c.request(method, path, method == "GET" ? "" : post_body("x"), headers);
        check_error(r, 405, "method not allowed");
        check_no_cookie(r);
        CHECK(r.header("allow") != "");
      }
    }
    CHECK(api.get(url).status == 200);  // the post is still there
  }

  // Nothing was created or changed but what a subcase made on purpose.
  CHECK(count_of(api, mine) == before + made);
  CHECK(sql_count("SELECT COUNT(*) FROM posts WHERE author_id = " + std::to_string(u.id)) ==
        before + made);
  CHECK(sql_count("SELECT COUNT(*) FROM comments WHERE author_id = " + std::to_string(u.id)) == 0);
  CHECK(json_of(api.get(url))["body"] == "the only post");
  CHECK(json_of(api.get(url))["comment_count"] == 0);
}

TEST_CASE("api: pagination of a post's comments and of all comments") {
  ApiUser u = make_user("apicpages");
  Api api(u.auth());
  long post_id = create_post(api, "a popular post");
  std::string comments_url = "/api/v1/posts/" + std::to_string(post_id) + "/comments/";
  const long per_page = std::stol(env_or("INKWELL_COMMENTS_PER_PAGE", "30"));
  const long n = per_page + 4;
  std::vector<std::string> made;
  for (long i = 0; i < n; ++i) {
    Reply r = api.post(comments_url, post_body("comment " + std::to_string(i)));
    REQUIRE(r.status == 201);
    made.push_back("/api/v1/comments/" + std::to_string(id_of(r.header("location"))));
  }
  // Under the post: oldest first, each once.
  long count = 0;
  CHECK(walk(api, comments_url, "comments", &count) == made);
  CHECK(count == n);
  CHECK(json_of(api.get("/api/v1/posts/" + std::to_string(post_id)))["comment_count"] == n);
  // All comments: newest first; the first page is ours.
  json p1 = json_of(api.get("/api/v1/comments/"));
  json p2 = json_of(api.get("/api/v1/comments/?page=2"));
  CHECK(p1["prev"].is_null());
  CHECK(p1["next"] == "/api/v1/comments/?page=2");
  CHECK(p2["prev"] == "/api/v1/comments/?page=1");
  CHECK(p1["count"].get<long>() >= n);
  REQUIRE(static_cast<long>(p1["comments"].size()) == per_page);
  for (long i = 0; i < per_page; ++i) CHECK(p1["comments"][i]["url"] == made[n - 1 - i]);
  REQUIRE(p2["comments"].size() >= 4);
  for (long i = 0; i < 4; ++i) CHECK(p2["comments"][i]["url"] == made[3 - i]);
}

TEST_CASE("api: Basic auth is the login's check: no input gives a 500, every failure counts") {
  ApiUser u = make_user("apiodd");
  Client c;
  const std::vector<std::string> odd_emails = {
      std::string(300, 'a') + "@example.com",  // over the column's 255 bytes
      "bad\xff\xfe@example.com",               // not UTF-8
      "nul\x01@example.com",
      "no-at-sign",
      std::string(70, 'b') + "@example.com",  // over 64
  };
  for (const std::string& email : odd_emails) {
    CAPTURE(email);
    Reply r = c.get("/api/v1/posts/", {basic(email, "some password")});
    check_error(r, 401, "unauthorized", kInvalidCredentials);
  }
  // Recorded against the address like any failure, so they are throttled:
  // together they count as one account (5 tries), and towards the address's 20.
  CHECK(sql_count("SELECT COUNT(*) FROM login_failures WHERE address = " +
                  sql_quote(c.address())) == static_cast<long>(odd_emails.size()));
  check_error(c.get("/api/v1/posts/", {basic("yet\xff-another", "x")}), 429, "too many requests",
              "Too many failed login attempts");
  for (std::size_t i = odd_emails.size(); i < 20; ++i) {
    check_error(c.get("/api/v1/posts/", {basic(unique("apiodd") + "@example.com", "x")}), 401,
                "unauthorized", kInvalidCredentials);
  }
  check_error(c.get("/api/v1/posts/", {u.auth()}), 429, "too many requests",
              "Too many failed login attempts");
  // The scheme is case-insensitive (RFC 7617), elsewhere the user gets in.
  Client other;
  std::string header = u.auth();
  header.replace(header.find("Basic"), 5, "bAsIc");
  CHECK(other.get("/api/v1/posts/", {header}).status == 200);
}

TEST_CASE("api: a disabled comment keeps its body from everyone but moderators") {
  ApiUser author = make_user("apidis");
  ApiUser reader = make_user("apidis");
  ApiUser moderator = make_user("apidis");
  sql("UPDATE users SET role_id = (SELECT id FROM roles WHERE name = 'Moderator') WHERE id = " +
      std::to_string(moderator.id));
  Api a(author.auth());
  Reply p = a.post("/api/v1/posts/", post_body("a post to comment on"));
  REQUIRE(p.status == 201);
  std::string post_url = json_of(p)["url"];
  Reply cm = a.post(post_url + "/comments/", post_body("something **rude**"));
  REQUIRE(cm.status == 201);
  std::string comment_url = json_of(cm)["url"];
  std::string comment_id = comment_url.substr(comment_url.rfind('/') + 1);
  sql("UPDATE comments SET disabled = TRUE WHERE id = " + comment_id);

  auto find_in = [&comment_url](const json& list) {
    for (const json& item : list) {
      if (item.value("url", "") == comment_url) return item;
    }
    return json();
  };
  for (ApiUser* who : {&author, &reader}) {
    Api api(who->auth());
    json one = json_of(api.get(comment_url));
    CHECK(one["disabled"] == true);
    CHECK(!one.contains("body"));
    CHECK(!one.contains("body_html"));
    CHECK(api.get(comment_url).body.find("rude") == std::string::npos);
    CHECK(api.get(post_url + "/comments/").body.find("rude") == std::string::npos);
    CHECK(api.get("/api/v1/comments/").body.find("rude") == std::string::npos);
    json listed = find_in(json_of(api.get(post_url + "/comments/"))["comments"]);
    CHECK(listed["disabled"] == true);
  }
  Api mod(moderator.auth());
  json seen = json_of(mod.get(comment_url));
  CHECK(seen["disabled"] == true);
  CHECK(seen["body"] == "something **rude**");
  CHECK(find_in(json_of(mod.get("/api/v1/comments/"))["comments"])["body"] == "something **rude**");
  // An enabled comment has no "disabled" and shows its body to everyone.
  sql("UPDATE comments SET disabled = FALSE WHERE id = " + comment_id);
  json back = json_of(Api(reader.auth()).get(comment_url));
  CHECK(!back.contains("disabled"));
  CHECK(back["body"] == "something **rude**");
}
