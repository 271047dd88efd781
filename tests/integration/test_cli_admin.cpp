// The operator's commands of `inkwell` against the test stack: help without
// a database or environment, users list/confirm/set-role (never the last
// Administrator), sessions revoke, outbox retry/purge, purge, exit codes.
#include <doctest/doctest.h>

#include <string>

#include "auth_helpers.hpp"
#include "client.hpp"

using namespace itest;
using namespace itest::auth;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("cli admin: --help, CMD --help and --version need no database nor environment") {
  int status = -1;
  const std::string bare = "env -i";
  std::string out = inkwell_cli("--help", &status, bare);
  CHECK(status == 0);
  for (const char* c : {"users list [--unconfirmed] [--role R]", "users set-role EMAIL ROLE",
                        "sessions revoke EMAIL", "outbox retry [ID] [--failed]",
                        "outbox purge --sent-before AGE", "purge", "exit status"}) {
    CAPTURE(c);
    CHECK(has(out, c));
  }
  out = inkwell_cli("users list --help", &status, bare);
  CHECK(status == 0);
  CHECK(has(out, "usage: inkwell users list [--unconfirmed] [--role R]"));
  CHECK(has(out, "--role R"));
  out = inkwell_cli("--version", &status, bare);
  CHECK(status == 0);
  CHECK(has(out, "inkwell "));
  // Argument errors come before the configuration is read.
  out = inkwell_cli("users list --bogus", &status, bare);
  CHECK(status == 2);
  CHECK(has(out, "unknown argument '--bogus'"));
  out = inkwell_cli("users set-role someone@example.com", &status, bare);
  CHECK(status == 2);
  CHECK(has(out, "missing argument"));
  out = inkwell_cli("users frobnicate x", &status, bare);
  CHECK(status == 2);
  // --env-file supplies the environment.
  out = inkwell_cli("--env-file /nonexistent/inkwell.env users list", &status);
  CHECK(status == 2);
  CHECK(has(out, "cannot read /nonexistent/inkwell.env"));
}

TEST_CASE("cli admin: --env-file FILE is read") {
  const std::string file = stack_dir() + "/cli-test.env";
  // A wrong database name in the file: the command fails on it, so the file was read.
  run("printf 'INKWELL_DB_NAME=\"no_such_db_cli\"\\n# comment\\n' > " + shell_quote(file));
  int status = -1;
  std::string out = inkwell_cli("--env-file " + shell_quote(file) + " users list", &status);
  CHECK(status != 0);
  CHECK(has(out, "no_such_db_cli"));
}

TEST_CASE("cli admin: users list, confirm and set-role; the last Administrator stays") {
  Account a = new_account("cla");
  register_ok(a);
  int status = -1;
  std::string out = inkwell_cli("users list --unconfirmed", &status);
  CHECK(status == 0);
  CHECK(has(out, a.email));
  CHECK(has(out, "unconfirmed"));

  out = inkwell_cli("users confirm " + shell_quote(a.email), &status);
  CHECK(status == 0);
  CHECK(sql_value("SELECT confirmed FROM users WHERE email = " + sql_quote(a.email)) == "1");
  out = inkwell_cli("users list --unconfirmed", &status);
  CHECK_FALSE(has(out, a.email));

  out = inkwell_cli("users set-role " + shell_quote(a.email) + " Moderator", &status);
  CHECK(status == 0);
  out = inkwell_cli("users list --role Moderator", &status);
  CHECK(has(out, a.email));
  out = inkwell_cli("users set-role " + shell_quote(a.email) + " Emperor", &status);
  CHECK(status == 2);
  out = inkwell_cli("users set-role nobody-at-all@example.com User", &status);
  CHECK(status == 1);

  // Make a the only Administrator, then try to demote it (the others get
  // their role back at the end).
  const std::string admins = sql_value(
      "SELECT COALESCE(GROUP_CONCAT(id), '0') FROM users WHERE role_id = "
      "(SELECT id FROM roles WHERE name = 'Administrator')");
  sql("UPDATE users SET role_id = (SELECT id FROM roles WHERE is_default) WHERE role_id = "
      "(SELECT id FROM roles WHERE name = 'Administrator')");
  out = inkwell_cli("users set-role " + shell_quote(a.email) + " Administrator", &status);
  CHECK(status == 0);
  out = inkwell_cli("users set-role " + shell_quote(a.email) + " User", &status);
  CHECK(status == 3);
  CHECK(has(out, "last Administrator"));
  CHECK(sql_value("SELECT r.name FROM users u JOIN roles r ON r.id = u.role_id WHERE u.email = " +
                  sql_quote(a.email)) == "Administrator");
  // With a second Administrator, the demotion goes through.
  Account b = new_account("clb");
  register_ok(b);
  inkwell_cli("users set-role " + shell_quote(b.email) + " Administrator", &status);
  CHECK(status == 0);
  out = inkwell_cli("users set-role " + shell_quote(a.email) + " User", &status);
  CHECK(status == 0);
  sql("UPDATE users SET role_id = (SELECT id FROM roles WHERE name = 'Administrator') WHERE id IN "
      "(" +
      admins + ")");
}

TEST_CASE("cli admin: sessions revoke logs the account out everywhere") {
  Client c;
  Account a = confirmed_user(c, "clr");
  REQUIRE(c.get("/").contains("Hello, " + a.username + "!"));
  int status = -1;
  std::string out = inkwell_cli("sessions revoke " + shell_quote(a.email), &status);
  CHECK(status == 0);
  CHECK(sessions_of(a.username) == 0);
  CHECK(c.get("/").contains("Hello, Stranger!"));
  inkwell_cli("sessions revoke nobody-at-all@example.com", &status);
  CHECK(status == 1);
}

TEST_CASE("cli admin: outbox retry, outbox purge and purge") {
  sql("INSERT INTO mail_outbox (recipient, subject, body_text, body_html, sent_at, created_at)"
      " VALUES ('old-sent@example.com', 'old', 't', 'h', NOW(6) - INTERVAL 40 DAY,"
      " NOW(6) - INTERVAL 40 DAY),"
      " ('new-sent@example.com', 'new', 't', 'h', NOW(6) - INTERVAL 1 DAY, NOW(6))");
  sql("INSERT INTO mail_outbox (recipient, subject, body_text, body_html, failed_at, attempts,"
      " next_attempt_at) VALUES ('gaveup@example.com', 'x', 't', 'h', NOW(6), 5,"
      " NOW(6) + INTERVAL 1 DAY)");
  const std::string failed_id =
      sql_value("SELECT MAX(id) FROM mail_outbox WHERE recipient = 'gaveup@example.com'");
  int status = -1;
  std::string out = inkwell_cli("outbox purge --sent-before 30d", &status);
  CHECK(status == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'old-sent@example.com'") ==
        0);
  CHECK(sql_count("SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'new-sent@example.com'") ==
        1);
  out = inkwell_cli("outbox purge --sent-before soon", &status);
  CHECK(status == 2);

  out = inkwell_cli("outbox status", &status);
  CHECK(status == 0);
  CHECK(has(out, "gaveup@example.com"));
  out = inkwell_cli("outbox retry " + failed_id, &status);
  CHECK(status == 0);
  CHECK(has(out, "handed back 1 message"));
  CHECK(sql_value("SELECT failed_at IS NULL FROM mail_outbox WHERE id = " + failed_id) == "1");
  out = inkwell_cli("outbox retry " + failed_id, &status);  // not failed any more
  CHECK(status == 1);
  out = inkwell_cli("outbox retry", &status);
  CHECK(status == 2);
  out = inkwell_cli("outbox retry --failed", &status);
  CHECK(status == 0);
  sql("DELETE FROM mail_outbox WHERE recipient IN ('gaveup@example.com', 'new-sent@example.com')");

  sql("INSERT INTO login_failures (email, address, failed_at) VALUES"
      " ('purge@example.com', '192.0.2.77', NOW(6) - INTERVAL 2 DAY),"
      " ('purge@example.com', '192.0.2.78', NOW(6))");
  out = inkwell_cli("purge", &status);
  CHECK(status == 0);
  CHECK(has(out, "purged:"));
  CHECK(sql_count("SELECT COUNT(*) FROM login_failures WHERE address = '192.0.2.77'") == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM login_failures WHERE address = '192.0.2.78'") == 1);
}

TEST_CASE("cli admin: a disabled user cannot log in by any means and is logged out") {
  Client c;
  Account a = confirmed_user(c, "cld");
  REQUIRE(c.get("/").contains("Hello, " + a.username + "!"));
  // An API token made before: it dies with the account's token version.
  Client api;
  Reply token_reply = api.post("/api/v1/tokens/", "", "application/json",
                               {basic(a.email, a.password)});
  REQUIRE(token_reply.status == 200);
  const std::string token = between(token_reply.body, "\"token\":\"", "\"");
  REQUIRE(!token.empty());

  int status = -1;
  std::string out = inkwell_cli("users disable " + shell_quote(a.email), &status);
  CHECK(status == 0);
  CHECK(has(inkwell_cli("users show " + shell_quote(a.email), &status), "DISABLED"));
  // Its session ended.
  CHECK(c.get("/").contains("Hello, Stranger!"));
  // The right password is refused, with the documented message.
  Client again;
  Reply r = login(again, a.email, a.password);
  CHECK(r.status == 403);
  CHECK(r.contains("This account has been disabled. Please contact the site"));
  // The API too: by password and by the old token.
  Reply by_password = api.get("/api/v1/posts/", {basic(a.email, a.password)});
  CHECK(by_password.status == 403);
  CHECK(by_password.contains("Account disabled"));
  CHECK(api.get("/api/v1/posts/", {basic(token, "")}).status == 401);

  out = inkwell_cli("users enable " + shell_quote(a.email), &status);
  CHECK(status == 0);
  Client back;
  CHECK(login(back, a.email, a.password).status == 302);
  inkwell_cli("users disable nobody-at-all@example.com", &status);
  CHECK(status == 1);
}
