// A new post and a new comment are one call each of the stored procedures
// inkwell_create_post and inkwell_create_comment (sql/migrations/
// 0013_write_procedures.sql); without them (not there, or an account
// without EXECUTE) the worker runs the same statements one by one, with the
// same rows, and says so in its log.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "auth_helpers.hpp"
#include "client.hpp"
#include "core/config.hpp"
#include "core/db.hpp"

using namespace itest;
using namespace itest::auth;
namespace core = inkwell::core;

namespace {

// CALLs counted by every server: on the cluster, an app host's connection
// may be on any node.
long calls() {
  return global_status("COM_CALL_PROCEDURE");
}

// The text of a migration, to put its procedures back as `inkwell migrate`
// made them after a test dropped them.
std::string migration_text(const std::string& file_name) {
  const core::Config config = core::load_config_from_environment();
  std::ifstream file(config.migrations_dir + "/" + file_name);
  REQUIRE(file);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

void run_migration(const std::string& text) {
  const core::Config config = core::load_config_from_environment();  // Db keeps a reference
  core::Db db(config);
  db.execute_script(text);
}

bool pool_log_says(const std::string& text) {
  return run("cat " + pool_logs() + " | grep -c " + shell_quote(text) + " || true") != "0\n";
}

}  // namespace

TEST_CASE("writes are one call each of their procedures; without them, the same rows one by one") {
  Client author, reader;
  Account a = confirmed_user(author, "proca");
  Account r = confirmed_user(reader, "procr");
  auto of_post = [](const std::string& column, long id) {
    return sql_count("SELECT " + column + " FROM posts WHERE id = " + std::to_string(id));
  };
  // A comment by the reader on post id through its page's form: the status.
  auto comment = [&](long id, const std::string& body, const std::string& to = "") {
    return submit(reader, "/post/" + std::to_string(id), {{"body", body}}, to).status;
  };
  // The reader follows or unfollows the author: the flash it gets.
  auto follow = [&](const char* how) {
    return follow_all(reader, submit(reader, "/user/" + a.username, {},
                                     std::string("/") + how + "/" + a.username))
        .body;
  };
  auto follows_exact = [&] {
    for (const std::string& u : {a.username, r.username}) {
      const std::string id = user_id(u);
      CHECK(sql_count("SELECT followers_count FROM users WHERE id = " + id) ==
            sql_count("SELECT COUNT(*) FROM follows WHERE followed_id = " + id +
                      " AND follower_id <> " + id));
      CHECK(sql_count("SELECT following_count FROM users WHERE id = " + id) ==
            sql_count("SELECT COUNT(*) FROM follows WHERE follower_id = " + id +
                      " AND followed_id <> " + id));
    }
  };
  auto counters_exact = [&] {
    CHECK(sql_count("SELECT value FROM counters WHERE name = 'posts'") ==
          sql_count("SELECT COUNT(*) FROM posts"));
    CHECK(sql_count("SELECT value FROM counters WHERE name = 'comments'") ==
          sql_count("SELECT COUNT(*) FROM comments"));
    CHECK(feed_mismatches() == 0);
  };

  long before = calls();
  CHECK(follow("follow").find("You are now following " + a.username + ".") != std::string::npos);
  CHECK(follow("follow").find("You are already following this user.") != std::string::npos);
  CHECK(follow("unfollow").find("You are not following " + a.username + " anymore.") !=
        std::string::npos);
  CHECK(follow("unfollow").find("You are not following this user.") != std::string::npos);
  // Four CALLs (the two refused by the procedure too), each calling
  // inkwell_lock_users in turn (counted as well).
  CHECK(calls() - before == 8);
  follows_exact();
  REQUIRE(follow("follow").find("You are now following") != std::string::npos);

  before = calls();
  const long first = write_post(author, "written by the procedure");
  CHECK(calls() - before == 1);
  CHECK(sql_count("SELECT COUNT(*) FROM feed_entries WHERE post_id = " + std::to_string(first)) ==
        2);  // the author's feed and the reader's
  before = calls();
  CHECK(comment(first, "commented by the procedure") == 302);
  CHECK(calls() - before == 1);
  CHECK(of_post("comment_count", first) == 1);
  // A post that is not there: the procedure refuses it, nothing is stored.
  CHECK(comment(first, "a comment to nowhere", "/post/999999999") == 404);
  CHECK(sql_count("SELECT COUNT(*) FROM comments WHERE body = 'a comment to nowhere'") == 0);
  counters_exact();

  // The procedures gone (an account without EXECUTE is refused the same
  // way): posts and comments are stored all the same, and the worker says
  // why. Then they are put back as `inkwell migrate` made them.
  const std::string migration = migration_text("0013_write_procedures.sql");
  itest::auth::sql(
      "DROP PROCEDURE inkwell_create_post; DROP PROCEDURE inkwell_create_comment; "
      "DROP PROCEDURE inkwell_follow; DROP PROCEDURE inkwell_unfollow");
  const long second = write_post(author, "written statement by statement");
  const int commented = comment(second, "commented statement by statement");
  const bool unfollowed =
      follow("unfollow").find("You are not following " + a.username + " anymore.") !=
      std::string::npos;
  const bool refollowed =
      follow("follow").find("You are now following " + a.username + ".") != std::string::npos;
  const bool refused =
      follow("follow").find("You are already following this user.") != std::string::npos;
  run_migration(migration);
  CHECK(sql_count("SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = "
                  "DATABASE() AND ROUTINE_NAME LIKE 'inkwell\\_%'") == 6);
  CHECK(commented == 302);
  CHECK(unfollowed);
  CHECK(refollowed);
  CHECK(refused);
  follows_exact();
  CHECK(of_post("seq", second) == of_post("seq", first) + 1);
  CHECK(of_post("author_seq", second) == of_post("author_seq", first) + 1);
  CHECK(of_post("comment_count", second) == 1);
  CHECK(sql_count("SELECT COUNT(*) FROM feed_entries WHERE post_id = " + std::to_string(second)) ==
        2);
  CHECK(sql_count("SELECT post_count FROM users WHERE username = " + sql_quote(a.username)) == 2);
  counters_exact();
  for (const char* name :
       {"inkwell_create_post", "inkwell_create_comment", "inkwell_follow", "inkwell_unfollow"}) {
    CHECK_MESSAGE(
        pool_log_says(std::string("the writes of ") + name + " run statement by statement"), name);
  }
}

TEST_CASE(
    "a login is one call of inkwell_log_in; a new sign-in mail and no procedure take the "
    "statements, with the same rows") {
  Client c;
  Account a = confirmed_user(c, "procin");
  const std::string id = user_id(a.username);
  auto logins = [&] {
    return sql_count("SELECT login_count FROM user_logins WHERE user_id = " + id);
  };
  auto devices = [&] {
    return sql_count("SELECT COUNT(*) FROM login_devices WHERE user_id = " + id);
  };
  auto logged_in = [](Client& client) { return client.get("/").contains("Log Out"); };
  const std::string subject = "[Inkwell] New sign-in to your Inkwell account";
  const std::size_t mails = outbox(a.email, subject).size();

  // From the device it registered on: one CALL stores the login, ending the
  // client's earlier session, with a remember-me token when asked.
  long before = calls();
  const long count = logins();
  REQUIRE(login(c, a.email, a.password, true).status == 302);
  CHECK(calls() - before == 1);
  CHECK(logged_in(c));
  CHECK(logins() == count + 1);
  CHECK(sessions_of(a.username) == 1);
  CHECK(remember_tokens_of(a.username) == 1);
  CHECK(sql_count("SELECT COUNT(*) FROM sessions WHERE remember_hash IS NOT NULL AND user_id = " +
                  id) == 1);
  CHECK(sql_count("SELECT COUNT(*) FROM user_logins WHERE current_login_ip IS NOT NULL AND "
                  "last_login_at IS NOT NULL AND user_id = " +
                  id) == 1);
  CHECK(devices() == 1);
  CHECK(outbox(a.email, subject).size() == mails);

  // A new device: the procedure leaves the login to the statements (it is
  // counted, and changes nothing), which store it once and queue the mail in
  // the same transaction.
  Client other;
  other.set_user_agent("a browser never seen before");
  before = calls();
  REQUIRE(login(other, a.email, a.password).status == 302);
  CHECK(calls() - before == 1);
  CHECK(logged_in(other));
  CHECK(logins() == count + 2);
  CHECK(sessions_of(a.username) == 2);
  CHECK(devices() == 2);
  CHECK(outbox(a.email, subject).size() == mails + 1);

  // Without the procedure: the statements, the same rows, and the log says why.
  const std::string migration = migration_text("0016_user_logins.sql");
  itest::auth::sql("DROP PROCEDURE inkwell_log_in");
  Client third(c.address());
  const Reply r = login(third, a.email, a.password);
  const bool third_in = logged_in(third);
  run_migration(migration);
  CHECK(r.status == 302);
  CHECK(third_in);
  CHECK(logins() == count + 3);
  CHECK(sessions_of(a.username) == 3);
  CHECK(devices() == 2);  // the registering device again, under another client
  CHECK(outbox(a.email, subject).size() == mails + 1);
  CHECK(pool_log_says("the writes of inkwell_log_in run statement by statement"));
  CHECK(sql_count("SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = "
                  "DATABASE() AND ROUTINE_NAME = 'inkwell_log_in'") == 1);
}

TEST_CASE(
    "a login record still in users (before migration 0016) is carried over by the next login, "
    "through the procedure and through the statements") {
  for (const bool procedure : {true, false}) {
    CAPTURE(procedure);
    Client c;
    Account a = confirmed_user(c, procedure ? "carryproc" : "carrystmt");
    const std::string id = user_id(a.username);
    // As code before 0016 left it: the record in users alone.
    itest::auth::sql("DELETE FROM user_logins WHERE user_id = " + id);
    itest::auth::sql("UPDATE users SET login_count = 5, current_login_ip = '10.1.2.3', "
        "current_login_at = NOW(6) - INTERVAL 1 DAY WHERE id = " +
        id);
    Reply page = c.get("/auth/account");
    CHECK(between(page.body, "id=\"login-count\">", "</dd>") == "5");
    std::string migration;
    if (!procedure) {
      migration = migration_text("0016_user_logins.sql");
      itest::auth::sql("DROP PROCEDURE inkwell_log_in");
    }
    Client again(c.address());
    const Reply r = login(again, a.email, a.password);
    if (!procedure) run_migration(migration);
    CHECK(r.status == 302);
    CHECK(sql_value("SELECT CONCAT(login_count, ' ', last_login_ip, ' ', current_login_ip) "
                    "FROM user_logins WHERE user_id = " +
                    id) == "6 10.1.2.3 " + again.address());
    page = again.get("/auth/account");
    CHECK(between(page.body, "id=\"login-count\">", "</dd>") == "6");
    CHECK(between(page.body, "id=\"last-login\">", "</dd>").find("from 10.1.2.3") !=
          std::string::npos);
  }
}
