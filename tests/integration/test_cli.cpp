// The admin command line `inkwell` against the test stack's database: help
// and exit codes, create-user, and fake data (consistent counters, the same
// data for the same seed, refused in production). The test database is
// shared with the other tests: every run of fake here has its own --prefix
// and the checks look at its rows only, except the counters, which fake
// recomputes for the whole database.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "client.hpp"

namespace {

using itest::inkwell_binary;
using itest::shell_quote;

// Runs `env inkwell ARGS` (stdin empty, stderr joined to stdout); the exit
// status goes to *status.
std::string cli(const std::string& args, int* status, const std::string& env = "") {
  return itest::inkwell_cli(args, status, env);
}

// The same with `input` and a newline on stdin, through a pipe.
std::string cli_with_input(const std::string& args, const std::string& input, int* status) {
  return itest::run(
      "printf '%s\\n' " + shell_quote(input) + " | " + inkwell_binary() + " " + args + " 2>&1",
      status);
}

// The output of a query through the mariadb client (-N -B); REQUIREs success.
std::string sql(const std::string& query) {
  std::string cmd = "mariadb --socket=" + itest::env_or("INKWELL_DB_SOCKET", "") + " -u" +
                    itest::env_or("INKWELL_DB_USER", "inkwell") + " -p" +
                    itest::env_or("INKWELL_DB_PASSWORD", "") + " " +
                    itest::env_or("INKWELL_DB_NAME", "inkwell") + " -N -B -e " +
                    shell_quote(query) + " 2>&1";
  int status = -1;
  std::string out = itest::run(cmd, &status);
  REQUIRE_MESSAGE(status == 0, "mariadb failed for: " << query << "\n" << out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}
long count(const std::string& query) {
  return std::stol(sql(query));
}

// A --prefix of fake unique to this test run: [a-z][a-z0-9_]{0,15}.
std::string unique_prefix(char kind) {
  static int n = 0;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto base36 = [](unsigned long v) {
    std::string s;
    do {
      s.insert(s.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36]);
      v /= 36;
    } while (v);
    return s;
  };
  return std::string(1, kind) + base36(static_cast<unsigned long>(now) % 1679616) +
         base36(static_cast<unsigned long>(getpid()) % 1296) + "x" + std::to_string(++n) + "_";
}

// Per user of the prefix, in id order: the username without the prefix and
// the id, and a digest of the user's post bodies and HTML, oldest first.
std::string posts_by_relative_user(const std::string& prefix) {
  return sql("SELECT REGEXP_REPLACE(SUBSTRING(u.username, " + std::to_string(prefix.size() + 1) +
             "), '[0-9]+$', ''), COUNT(p.id), MD5(GROUP_CONCAT(p.body, p.body_html "
             "ORDER BY p.timestamp, p.id SEPARATOR '\\n')) FROM users u LEFT JOIN posts p ON "
             "p.author_id = u.id WHERE u.username LIKE '" +
             prefix + "%' GROUP BY u.id ORDER BY u.id");
}

const std::string kFakeArgs = "fake --users 20 --posts 200 --follows 5 --comments 50 --seed 7";

}  // namespace

TEST_CASE("cli: inkwell help lists the commands; an unknown command is exit status 2") {
  int status = -1;
  std::string out = cli("help", &status);
  CHECK(status == 0);
  CHECK(out.find("migrate") != std::string::npos);
  CHECK(out.find("create-user") != std::string::npos);
  CHECK(out.find("fake") != std::string::npos);

  out = cli("no-such-command", &status);
  CHECK(status == 2);
  CHECK(out.find("unknown command") != std::string::npos);
  cli("", &status);
  CHECK(status == 2);

  // A mistyped option is an error, not silently ignored.
  out = cli("fake --post 100", &status);
  CHECK(status == 2);
  CHECK(out.find("unknown argument '--post'") != std::string::npos);
  out = cli("migrate --force", &status);
  CHECK(status == 2);
  out = cli("create-user --email", &status);
  CHECK(status == 2);
  CHECK(out.find("--email needs a value") != std::string::npos);
}

TEST_CASE("cli: inkwell fake makes consistent data and recomputes every counter") {
  const std::string prefix = unique_prefix('f');
  int status = -1;
  std::string out = cli(kFakeArgs + " --prefix " + prefix, &status);
  REQUIRE_MESSAGE(status == 0, out);
  CHECK(out.find("added 20 users, 200 posts") != std::string::npos);
  CHECK(out.find("\"password\"") != std::string::npos);

  const std::string mine = "(SELECT id FROM users WHERE username LIKE '" + prefix + "%')";
  CHECK(count("SELECT COUNT(*) FROM users WHERE id IN " + mine) == 20);
  CHECK(count("SELECT COUNT(*) FROM users WHERE id IN " + mine +
              " AND confirmed AND email = LOWER(email) AND avatar_hash = MD5(email)"
              " AND username REGEXP '^[A-Za-z][A-Za-z0-9_.]*$'"
              " AND role_id = (SELECT id FROM roles WHERE is_default)") == 20);
  CHECK(count("SELECT COUNT(*) FROM follows WHERE follower_id = followed_id AND follower_id IN " +
              mine) == 20);
  CHECK(count("SELECT COUNT(*) FROM posts WHERE author_id IN " + mine) == 200);
  CHECK(count("SELECT COUNT(*) FROM posts p JOIN users u ON u.id = p.author_id WHERE u.id IN " +
              mine +
              " AND (p.timestamp < u.member_since OR p.timestamp > NOW(6) + INTERVAL 1 "
              "MINUTE OR p.body_html NOT LIKE '<p>%')") == 0);
  CHECK(count("SELECT COUNT(*) FROM comments WHERE author_id IN " + mine) == 50);
  // Each follows 3 to 5 of the others.
  CHECK(count("SELECT COUNT(*) FROM users u WHERE u.id IN " + mine +
              " AND (SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id"
              "      AND f.followed_id <> u.id AND f.followed_id IN " +
              mine + ") NOT BETWEEN 3 AND 5") == 0);

  // The counters match the rows, for the whole database.
  CHECK(count("SELECT COUNT(*) FROM users u WHERE post_count <> "
              "(SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id)") == 0);
  CHECK(count("SELECT COUNT(*) FROM users u WHERE followers_count <> "
              "(SELECT COUNT(*) FROM follows f WHERE f.followed_id = u.id AND "
              "f.follower_id <> u.id)") == 0);
  CHECK(count("SELECT COUNT(*) FROM users u WHERE following_count <> "
              "(SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id AND "
              "f.followed_id <> u.id)") == 0);
  CHECK(count("SELECT COUNT(*) FROM posts p WHERE comment_count <> "
              "(SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id)") == 0);
  CHECK(sql("SELECT value FROM counters WHERE name = 'posts'") ==
        sql("SELECT COUNT(*) FROM posts"));
  CHECK(sql("SELECT value FROM counters WHERE name = 'comments'") ==
        sql("SELECT COUNT(*) FROM comments"));
}

TEST_CASE("cli: the same seed makes the same data, another seed other data") {
  const std::string a = unique_prefix('a'), b = unique_prefix('b'), c = unique_prefix('c');
  int status = -1;
  std::string out = cli(kFakeArgs + " --prefix " + a, &status);
  REQUIRE_MESSAGE(status == 0, out);
  out = cli(kFakeArgs + " --prefix " + b, &status);
  REQUIRE_MESSAGE(status == 0, out);
  out =
      cli("fake --users 20 --posts 200 --follows 5 --comments 50 --seed 8 --prefix " + c, &status);
  REQUIRE_MESSAGE(status == 0, out);

  std::string first = posts_by_relative_user(a);
  CHECK(std::count(first.begin(), first.end(), '\n') == 19);  // 20 users
  CHECK(first == posts_by_relative_user(b));
  CHECK(first != posts_by_relative_user(c));

  // The same comments on the same relative posts, and the same follow graph.
  auto comments = [](const std::string& p) {
    return sql(
        "SELECT MD5(GROUP_CONCAT(c.body, c.disabled, ua.id - (SELECT MIN(id) FROM users WHERE "
        "username LIKE '" +
        p +
        "%') ORDER BY c.timestamp, c.id)) FROM comments c JOIN users ua "
        "ON ua.id = c.author_id WHERE ua.username LIKE '" +
        p + "%'");
  };
  CHECK(comments(a) == comments(b));
  auto graph = [](const std::string& p) {
    std::string base = "(SELECT MIN(id) FROM users WHERE username LIKE '" + p + "%')";
    return sql("SELECT GROUP_CONCAT(f.follower_id - " + base + ", '>', f.followed_id - " + base +
               " ORDER BY f.follower_id, f.followed_id) FROM follows f JOIN users u ON u.id = "
               "f.follower_id WHERE u.username LIKE '" +
               p + "%'");
  };
  CHECK(graph(a) == graph(b));
}

TEST_CASE("cli: inkwell fake is refused in production unless --force") {
  const std::string prefix = unique_prefix('p');
  int status = -1;
  const std::string production =
      "INKWELL_ENV=production INKWELL_SECRET_KEY=cli-test-secret-key-0123456789";
  std::string out = cli("fake --users 1 --prefix " + prefix, &status, production);
  CHECK(status == 2);
  CHECK(out.find("production") != std::string::npos);
  CHECK(count("SELECT COUNT(*) FROM users WHERE username LIKE '" + prefix + "%'") == 0);

  out = cli("fake --users 1 --force --prefix " + prefix, &status, production);
  CHECK_MESSAGE(status == 0, out);
  CHECK(count("SELECT COUNT(*) FROM users WHERE username LIKE '" + prefix + "%'") == 1);

  cli("fake --users 1 --prefix Not-Valid", &status);
  CHECK(status == 2);
  cli("fake", &status);  // nothing to do
  CHECK(status == 2);
}

TEST_CASE("cli: a fake user logs in with the password \"password\"") {
  const std::string prefix = unique_prefix('l');
  int status = -1;
  std::string out = cli("fake --users 1 --prefix " + prefix, &status);
  REQUIRE_MESSAGE(status == 0, out);
  std::string email = sql("SELECT email FROM users WHERE username LIKE '" + prefix + "%'");
  std::string username = sql("SELECT username FROM users WHERE username LIKE '" + prefix + "%'");

  itest::Client c;
  auto page = c.get("/auth/login");
  REQUIRE(page.status == 200);
  const std::string marker = "name=\"csrf_token\" value=\"";
  auto at = page.body.find(marker);
  REQUIRE(at != std::string::npos);
  at += marker.size();
  std::string token = page.body.substr(at, page.body.find('"', at) - at);
  auto r = c.post(
      "/auth/login",
      itest::form_encode({{"csrf_token", token}, {"email", email}, {"password", "password"}}));
  REQUIRE(r.status == 302);
  CHECK(c.get("/").contains("Hello, " + username + "!"));
}

TEST_CASE("cli: inkwell create-user reads the password from stdin and checks its input") {
  const std::string name = unique_prefix('u') + "cli";
  const std::string email = name + "@Example.com";
  int status = -1;
  std::string out =
      cli_with_input("create-user --email " + email + " --username " + name + " --confirmed",
                     "long enough 1", &status);
  REQUIRE_MESSAGE(status == 0, out);
  CHECK(out.find("created user") != std::string::npos);
  CHECK(count("SELECT COUNT(*) FROM users WHERE username = '" + name + "' AND email = LOWER('" +
              email + "') AND confirmed") == 1);
  CHECK(count("SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.follower_id AND u.id = "
              "f.followed_id WHERE u.username = '" +
              name + "'") == 1);
  std::string method = itest::env_or("INKWELL_PASSWORD_METHOD", "scrypt:32768:8:1");
  CHECK(sql("SELECT password_hash FROM users WHERE username = '" + name + "'")
            .rfind(method + "$", 0) == 0);

  // A duplicate email (in any case) or username: 1.
  out = cli_with_input("create-user --email " + name + "@example.COM --username " + name + "x",
                       "long enough 2", &status);
  CHECK(status == 1);
  CHECK(out.find("Email already registered.") != std::string::npos);
  out = cli_with_input("create-user --email other." + email + " --username " + name,
                       "long enough 3", &status);
  CHECK(status == 1);
  CHECK(out.find("Username already in use.") != std::string::npos);

  // Bad input: 2, and nothing is created.
  out = cli_with_input("create-user --email short." + email + " --username short" + name, "short",
                       &status);
  CHECK(status == 2);
  CHECK(out.find("at least 8 characters") != std::string::npos);
  out = cli_with_input("create-user --email bad." + email + " --username 9" + name, "long enough 4",
                       &status);
  CHECK(status == 2);
  CHECK(out.find("Usernames must have only letters") != std::string::npos);
  out = cli_with_input("create-user --email not-an-email --username ok" + name, "long enough 5",
                       &status);
  CHECK(status == 2);
  cli_with_input("create-user --username ok" + name, "long enough 6", &status);  // no --email
  CHECK(status == 2);
  CHECK(count("SELECT COUNT(*) FROM users WHERE email LIKE '%." + name +
              "@example.com' OR "
              "username IN ('short" +
              name + "', '9" + name + "', 'ok" + name + "')") == 0);
}
