// CSRF on every state-changing route of the main area (SPEC §3): a logged-in
// administrator and moderator POSTing without a token, or with another
// client's, gets 400 and nothing changes.
#include <doctest/doctest.h>

#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

// Everything the routes below could change, as one string.
std::string state(const std::string& post_id, const std::string& comment_id,
                  const std::string& user_id) {
  return sql(
      "SELECT (SELECT COUNT(*) FROM posts), (SELECT COUNT(*) FROM comments), "
      "(SELECT COUNT(*) FROM follows), "
      "(SELECT CONCAT(body, '|', comment_count) FROM posts WHERE id = " +
      post_id + "), (SELECT disabled FROM comments WHERE id = " + comment_id +
      "), (SELECT CONCAT(name, '|', location, '|', email, '|', role_id) FROM users "
      "WHERE id = " +
      user_id + ")");
}

}  // namespace

TEST_CASE("csrf: every POST route of the main area refuses a missing or foreign token") {
  Client admin;
  Account a = confirmed_user(admin, "csrfadmin");
  sql("UPDATE users SET role_id = (SELECT id FROM roles WHERE name = 'Administrator') "
      "WHERE username = " +
      sql_quote(a.username));
  Client other;
  Account o = confirmed_user(other, "csrfother");

  // Something to act on: a post with a comment, by the administrator.
  Reply r = submit(admin, "/", {{"body", "csrf target"}});
  REQUIRE(r.status == 302);
  const std::string post_id = sql_value("SELECT MAX(id) FROM posts WHERE body = 'csrf target'");
  r = submit(admin, "/post/" + post_id, {{"body", "csrf comment"}});
  REQUIRE(r.status == 302);
  const std::string comment_id =
      sql_value("SELECT MAX(id) FROM comments WHERE body = 'csrf comment'");
  const std::string admin_id = user_id(a.username);

  // A token that is valid, but for another client.
  const std::string foreign = csrf_token(other.get("/edit-profile"));
  REQUIRE(!foreign.empty());

  const std::string before = state(post_id, comment_id, admin_id);
  const std::pair<std::string, std::string> routes[] = {
      {"/", "body=new+post"},
      {"/post/" + post_id, "body=new+comment"},
      {"/edit/" + post_id, "body=edited"},
      {"/edit-profile", "name=Mallory&location=Nowhere&about_me=x"},
      {"/edit-profile/" + admin_id,
       "email=evil%40example.com&username=" + a.username + "&role=1&name=M&location=L"},
      {"/follow/" + o.username, ""},
      {"/unfollow/" + o.username, ""},
      {"/moderate/disable/" + comment_id, ""},
      {"/moderate/enable/" + comment_id, ""},
  };
  for (const auto& [path, body] : routes) {
    Reply missing = admin.post(path, body);
    CHECK_MESSAGE(missing.status == 400, path << " without a token gave " << missing.status);
    std::string with_foreign =
        body + (body.empty() ? "" : "&") + "csrf_token=" + url_escape(foreign);
    Reply stolen = admin.post(path, with_foreign);
    CHECK_MESSAGE(stolen.status == 400,
                  path << " with another client's token gave " << stolen.status);
  }
  CHECK(state(post_id, comment_id, admin_id) == before);
}
