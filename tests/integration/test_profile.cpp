// Profiles and follows through nginx (SPEC §4): /user/<username>,
// /edit-profile, /edit-profile/<id>, /follow, /unfollow, /followers and
// /followed_by, with the counters checked against the follows table.
#include <doctest/doctest.h>

#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

const std::string kInvalidUser = "Invalid user.";
const std::string kAlreadyFollowing = "You are already following this user.";
const std::string kNotFollowing = "You are not following this user.";
const std::string kProfileUpdated = "Your profile has been updated.";
const std::string kAdminUpdated = "The profile has been updated.";

// The page a redirect to `location` leads to shows msg.
Reply expect_redirect_flash(Client& c, const Reply& r, const std::string& location,
                            const std::string& msg) {
  REQUIRE_MESSAGE(r.status == 302, "expected a redirect, got " << r.status << "\n" << r.body);
  CHECK(r.header("location") == location);
  Reply page = follow_all(c, r);
  CHECK(page.status == 200);
  CHECK_MESSAGE(page.contains(msg), "no \"" << msg << "\" after " << location);
  return page;
}

Reply post_follow(Client& c, const std::string& action, const std::string& username) {
  // The profile of whoever is logged in always carries a csrf_token (the
  // Edit Profile page, in case the target has no button).
  return submit(c, "/edit-profile", {}, "/" + action + "/" + username);
}

long counter(const std::string& username, const std::string& column) {
  return sql_count("SELECT " + column + " FROM users WHERE username = " + sql_quote(username));
}

long real_followers(const std::string& username) {
  return sql_count(
      "SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.followed_id WHERE u.username = " +
      sql_quote(username) + " AND f.follower_id <> f.followed_id");
}

long real_following(const std::string& username) {
  return sql_count(
      "SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.follower_id WHERE u.username = " +
      sql_quote(username) + " AND f.follower_id <> f.followed_id");
}

void check_counters(const std::string& username) {
  CHECK(counter(username, "followers_count") == real_followers(username));
  CHECK(counter(username, "following_count") == real_following(username));
}

void make_admin(const std::string& username) {
  sql("UPDATE users SET role_id = (SELECT id FROM roles WHERE name = 'Administrator') "
      "WHERE username = " +
      sql_quote(username));
}

std::string set_cookies(const Reply& r) {
  std::string out;
  auto range = r.headers.equal_range("set-cookie");
  for (auto it = range.first; it != range.second; ++it) out += it->second + "\n";
  return out;
}

}  // namespace

TEST_CASE("a profile shows the user to everyone; unknown users are 404") {
  Client c;
  Account a = confirmed_user(c, "prof");
  Client visitor;
  Reply r = visitor.get("/user/" + a.username);
  REQUIRE(r.status == 200);
  CHECK(r.contains("<title>Inkwell - " + a.username + "</title>"));
  CHECK(r.contains("<h1>" + a.username + "</h1>"));
  CHECK(r.contains(
      "/avatar/" +
      sql_value("SELECT avatar_hash FROM users WHERE username = " + sql_quote(a.username)) +
      ".svg?s=256"));
  CHECK(r.contains("Member since <time datetime=\""));
  CHECK(r.contains("Last seen <time datetime=\""));
  CHECK(r.contains("href=\"/followers/" + a.username + "\""));
  CHECK(r.contains("href=\"/followed_by/" + a.username + "\""));
  CHECK(r.contains("Posts by " + a.username));
  // Visitors get no buttons, no email, and nothing is written or set.
  CHECK_FALSE(r.contains("csrf_token"));
  CHECK_FALSE(r.contains(a.email));
  CHECK_FALSE(r.contains("Edit Profile"));
  CHECK(set_cookies(r).empty());

  CHECK(visitor.get("/user/" + unique("nobody")).status == 404);
  CHECK(visitor.get("/followers/" + unique("nobody")).status == 404);
  CHECK(visitor.get("/followed_by/" + unique("nobody")).status == 404);
  // Usernames are case-sensitive.
  CHECK(visitor.get("/user/X" + a.username).status == 404);
}

TEST_CASE("following and unfollowing, with their flashes and counters") {
  Client ca, cb;
  Account a = confirmed_user(ca, "fola");
  Account b = confirmed_user(cb, "folb");
  CHECK(counter(a.username, "followers_count") == 0);
  CHECK(counter(a.username, "following_count") == 0);

  // b sees a Follow button on a's profile.
  Reply profile = cb.get("/user/" + a.username);
  CHECK(profile.contains("action=\"/follow/" + a.username + "\""));
  CHECK_FALSE(profile.contains("Follows you"));

  Reply r = post_follow(cb, "follow", a.username);
  Reply page = expect_redirect_flash(cb, r, "/user/" + a.username,
                                     "You are now following " + a.username + ".");
  CHECK(page.contains("action=\"/unfollow/" + a.username + "\""));
  CHECK(counter(a.username, "followers_count") == 1);
  CHECK(counter(b.username, "following_count") == 1);
  check_counters(a.username);
  check_counters(b.username);

  r = post_follow(cb, "follow", a.username);
  expect_redirect_flash(cb, r, "/user/" + a.username, kAlreadyFollowing);
  CHECK(counter(a.username, "followers_count") == 1);

  // a sees that b follows them.
  CHECK(ca.get("/user/" + b.username).contains("Follows you"));

  // Following oneself is a no-op: everyone already does.
  r = post_follow(cb, "follow", b.username);
  expect_redirect_flash(cb, r, "/user/" + b.username, kAlreadyFollowing);
  CHECK(counter(b.username, "followers_count") == 0);

  std::string nobody = unique("nobody");
  r = post_follow(cb, "follow", nobody);
  expect_redirect_flash(cb, r, "/", kInvalidUser);
  r = post_follow(cb, "unfollow", nobody);
  expect_redirect_flash(cb, r, "/", kInvalidUser);

  r = post_follow(cb, "unfollow", a.username);
  expect_redirect_flash(cb, r, "/user/" + a.username,
                        "You are not following " + a.username + " anymore.");
  CHECK(counter(a.username, "followers_count") == 0);
  CHECK(counter(b.username, "following_count") == 0);
  r = post_follow(cb, "unfollow", a.username);
  expect_redirect_flash(cb, r, "/user/" + a.username, kNotFollowing);
  check_counters(a.username);
  check_counters(b.username);

  // The self row stays whatever is posted.
  r = post_follow(cb, "unfollow", b.username);
  CHECK(r.status == 302);
  CHECK(sql_count("SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.follower_id "
                  "WHERE u.username = " +
                  sql_quote(b.username) + " AND f.followed_id = u.id") == 1);

  // Without a csrf_token nothing changes; visitors are sent to log in.
  CHECK(cb.post("/follow/" + a.username, "").status == 400);
  CHECK(counter(a.username, "followers_count") == 0);
  CHECK(cb.get("/follow/" + a.username).status == 405);
}

TEST_CASE("follow counters: each of the pair's changes, nobody else's; a drifted zero stays zero") {
  Client ca, cb, cc;
  Account a = confirmed_user(ca, "fcnta");
  Account b = confirmed_user(cb, "fcntb");
  Account c = confirmed_user(cc, "fcntc");
  REQUIRE(post_follow(cc, "follow", a.username).status == 302);
  REQUIRE(post_follow(cb, "follow", a.username).status == 302);
  CHECK(counter(a.username, "followers_count") == 2);
  CHECK(counter(a.username, "following_count") == 0);
  CHECK(counter(b.username, "following_count") == 1);
  CHECK(counter(b.username, "followers_count") == 0);
  CHECK(counter(c.username, "following_count") == 1);

  // Counters that drifted to zero by hand: the unfollow leaves them at zero.
  sql("UPDATE users SET followers_count = 0 WHERE username = " + sql_quote(a.username));
  sql("UPDATE users SET following_count = 0 WHERE username = " + sql_quote(b.username));
  Reply r = post_follow(cb, "unfollow", a.username);
  expect_redirect_flash(cb, r, "/user/" + a.username,
                        "You are not following " + a.username + " anymore.");
  CHECK(counter(a.username, "followers_count") == 0);
  CHECK(counter(b.username, "following_count") == 0);
  CHECK(counter(a.username, "following_count") == 0);
  CHECK(counter(b.username, "followers_count") == 0);
  CHECK(counter(c.username, "following_count") == 1);
}

TEST_CASE("followers and followed_by list the follows, newest first, without the self row") {
  Client ca, cb, cc;
  Account a = confirmed_user(ca, "lsta");
  Account b = confirmed_user(cb, "lstb");
  Account c = confirmed_user(cc, "lstc");
  REQUIRE(post_follow(cb, "follow", a.username).status == 302);
  REQUIRE(post_follow(cc, "follow", a.username).status == 302);
  REQUIRE(post_follow(ca, "follow", c.username).status == 302);

  Client visitor;
  Reply r = visitor.get("/followers/" + a.username);
  REQUIRE(r.status == 200);
  CHECK(r.contains("<title>Inkwell - Followers of " + a.username + "</title>"));
  std::size_t at_b = r.body.find(">" + b.username + "</a>");
  std::size_t at_c = r.body.find(">" + c.username + "</a>");
  REQUIRE(at_b != std::string::npos);
  REQUIRE(at_c != std::string::npos);
  // c followed after b: newest first.
  CHECK(at_c < at_b);
  CHECK_FALSE(r.contains(">" + a.username + "</a>"));
  // Each row's follow time: machine-readable, readable in its title, and
  // relative in its text (the follows were made seconds ago).
  CHECK(r.contains("<time datetime=\""));
  CHECK(r.contains(" UTC\">a few seconds ago</time>"));
  CHECK_FALSE(r.contains("\"></time>"));
  CHECK(set_cookies(r).empty());

  r = visitor.get("/followed_by/" + a.username);
  REQUIRE(r.status == 200);
  CHECK(r.contains("<title>Inkwell - Followed by " + a.username + "</title>"));
  CHECK(r.contains(">" + c.username + "</a>"));
  CHECK_FALSE(r.contains(">" + b.username + "</a>"));

  r = visitor.get("/followed_by/" + b.username + "?page=1");
  CHECK(r.contains(">" + a.username + "</a>"));
  r = visitor.get("/followers/" + b.username);
  CHECK(r.contains("No followers yet."));
  r = visitor.get("/followers/" + a.username + "?page=2");
  CHECK(r.status == 200);
  CHECK_FALSE(r.contains(">" + b.username + "</a>"));
  // The last page reads the count first; any other page comes with the user.
  for (const char* page : {"?page=-1", "?page=0", ""}) {
    r = visitor.get("/followers/" + a.username + page);
    CHECK(r.body.find(">" + c.username + "</a>") < r.body.find(">" + b.username + "</a>"));
    CHECK(r.body.find(">" + b.username + "</a>") != std::string::npos);
  }
  r = visitor.get("/followed_by/" + a.username + "?page=999999999999");
  CHECK(r.status == 200);
  CHECK(r.contains("<title>Inkwell - Followed by " + a.username + "</title>"));
  CHECK_FALSE(r.contains(">" + c.username + "</a>"));
  CHECK(visitor.get("/followers/no-such-user").status == 404);
  CHECK(visitor.get("/followed_by/no-such-user?page=-1").status == 404);

  Reply profile = visitor.get("/user/" + a.username);
  CHECK(profile.contains("Followers: <span class=\"badge bg-secondary\">2</span>"));
  CHECK(profile.contains("Following: <span class=\"badge bg-secondary\">1</span>"));
}

TEST_CASE("edit-profile: prefilled, length-checked, escaped with newlines kept") {
  Client c;
  Account a = confirmed_user(c, "edit");
  CHECK(c.get("/user/" + a.username).contains("href=\"/edit-profile\""));

  Reply r = submit(c, "/edit-profile",
                   {{"name", std::string(65, 'n')}, {"location", "Paris"}, {"about_me", ""}});
  CHECK(r.status == 200);
  CHECK(r.contains("Field cannot be longer than 64 characters."));
  CHECK(sql_value("SELECT location FROM users WHERE username = " + sql_quote(a.username)) == "");

  r = submit(c, "/edit-profile",
             {{"name", "Ada <b>L</b>"},
              {"location", "San Francisco, CA"},
              {"about_me", "first <script>x</script>\nsecond & third"}});
  Reply page = expect_redirect_flash(c, r, "/user/" + a.username, kProfileUpdated);
  CHECK(page.contains("Ada &lt;b&gt;L&lt;/b&gt;"));
  CHECK(page.contains("href=\"https://www.google.com/maps?q=San%20Francisco%2C%20CA\""));
  CHECK(page.contains("first &lt;script&gt;x&lt;/script&gt;\nsecond &amp; third"));
  CHECK_FALSE(page.contains("<script>x"));

  Reply form = c.get("/edit-profile");
  CHECK(form.contains("value=\"Ada &lt;b&gt;L&lt;/b&gt;\""));
  CHECK(form.contains("value=\"San Francisco, CA\""));
  CHECK(form.contains(">first &lt;script&gt;x&lt;/script&gt;\nsecond &amp; third</textarea>"));

  Client visitor;
  r = visitor.get("/edit-profile");
  CHECK(r.status == 302);
  CHECK(r.header("location").rfind("/auth/login?next=", 0) == 0);
}

TEST_CASE("edit-profile/<id>: administrators only, validated, renames") {
  Client ca, cb, cx;
  Account admin = confirmed_user(ca, "adm");
  Account b = confirmed_user(cb, "tgt");
  Account x = confirmed_user(cx, "oth");
  std::string id = user_id(b.username);
  std::string path = "/edit-profile/" + id;

  CHECK(cb.get(path).status == 403);
  CHECK_FALSE(cb.get("/user/" + b.username).contains("Edit Profile [Admin]"));
  make_admin(admin.username);
  Reply profile = ca.get("/user/" + b.username);
  CHECK(profile.contains("href=\"" + path + "\""));
  CHECK(profile.contains("Edit Profile [Admin]"));
  CHECK(profile.contains("mailto:" + b.email));
  CHECK(ca.get("/edit-profile/999999999").status == 404);

  Reply form = ca.get(path);
  REQUIRE(form.status == 200);
  CHECK(form.contains("value=\"" + b.email + "\""));
  CHECK(form.contains("value=\"" + b.username + "\""));
  CHECK(form.contains("name=\"confirmed\" type=\"checkbox\" value=\"y\" checked"));
  std::string user_role = sql_value("SELECT id FROM roles WHERE name = 'User'");
  std::string moderator = sql_value("SELECT id FROM roles WHERE name = 'Moderator'");
  CHECK(form.contains("<option value=\"" + user_role + "\" selected>User</option>"));

  Reply r = submit(ca, path, {{"email", x.email}, {"username", x.username}, {"role", user_role}});
  CHECK(r.status == 200);
  CHECK(r.contains("Email already registered."));
  CHECK(r.contains("Username already in use."));
  r = submit(ca, path, {{"email", "not-an-email"}, {"username", "9lives"}, {"role", "999"}});
  CHECK(r.contains("Invalid email address."));
  CHECK(r.contains("Usernames must have only letters, numbers, dots or underscores"));
  CHECK(r.contains("Not a valid choice."));
  r = submit(ca, path, {{"email", ""}, {"username", ""}, {"role", moderator}});
  CHECK(r.contains("This field is required."));
  CHECK(sql_value("SELECT username FROM users WHERE id = " + id) == b.username);

  // Its own address and name (any case for the address) are not "taken".
  std::string renamed = unique("ren");
  std::string new_email = renamed + "@Example.com";
  r = submit(ca, path,
             {{"email", new_email},
              {"username", renamed},
              {"role", moderator},
              {"name", "Renamed"},
              {"location", "Oslo"},
              {"about_me", "moved"}});
  expect_redirect_flash(ca, r, "/user/" + renamed, kAdminUpdated);
  CHECK(sql_value("SELECT CONCAT_WS('|', email, username, role_id, confirmed, name, location, "
                  "about_me) FROM users WHERE id = " +
                  id) ==
        renamed + "@example.com|" + renamed + "|" + moderator + "|0|Renamed|Oslo|moved");
  CHECK(ca.get("/user/" + b.username).status == 404);

  r = submit(ca, path,
             {{"email", renamed + "@example.com"},
              {"username", renamed},
              {"role", user_role},
              {"confirmed", "y"}});
  expect_redirect_flash(ca, r, "/user/" + renamed, kAdminUpdated);
  CHECK(sql_value("SELECT confirmed FROM users WHERE id = " + id) == "1");
}

TEST_CASE("profile: error pages show the logged-in user's navbar") {
  Client c;
  Account a = confirmed_user(c, "errnav");
  Reply r = c.get("/no/such/page");
  CHECK(r.status == 404);
  CHECK(r.contains("Page Not Found"));
  CHECK(r.contains("href=\"/user/" + a.username + "\""));
  CHECK_FALSE(r.contains(">Log In<"));
  Reply v = Client().get("/no/such/page");
  CHECK(v.contains(">Log In<"));
}

TEST_CASE("profile: last_seen moves with activity, at most once a minute, not in users") {
  Client c;
  Account a = confirmed_user(c, "seen");
  const std::string who = "u.username = " + sql_quote(a.username);
  const std::string seen_ago =
      "SELECT TIMESTAMPDIFF(SECOND, " + kLastSeen + ", NOW(6))" + kSeenFrom + "WHERE " + who;
  // Seen two minutes ago: the next request records the visit, in
  // user_activity: users, which every page's statements read, is not
  // written (its cached results stay).
  set_last_seen(a.username, "NOW(6) - INTERVAL 120 SECOND");
  REQUIRE(c.get("/").status == 200);
  CHECK(sql_count(seen_ago) < 10);
  CHECK(sql_count("SELECT TIMESTAMPDIFF(SECOND, u.last_seen, NOW(6)) FROM users u WHERE " + who) >=
        119);
  CHECK(c.get("/user/" + a.username).contains("a few seconds ago"));
  // Seen 30 seconds ago: no write for this request.
  set_last_seen(a.username, "NOW(6) - INTERVAL 30 SECOND");
  REQUIRE(c.get("/").status == 200);
  CHECK(sql_count(seen_ago) >= 29);
  // A login is a sight too, in the users row it writes anyway.
  set_last_seen(a.username, "NOW(6) - INTERVAL 1 DAY");
  Client again(c.address());
  REQUIRE(login(again, a.email, a.password).status == 302);
  CHECK(sql_count(seen_ago) < 10);
}
