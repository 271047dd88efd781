// `inkwell import-flasky` against the test stack's database: a small Flasky
// database is made here with Debian's Python (its sqlite3 module) from the
// book's schema, imported, checked with SQL, and an imported user logs in
// over HTTP with their original password. The test database is shared with
// the other tests: every name here starts with a prefix unique to the run.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "auth_helpers.hpp"
#include "client.hpp"

using itest::auth::sql_count;
using itest::auth::sql_quote;
using itest::auth::sql_value;

namespace {

using itest::shell_quote;

std::string cli(const std::string& args, int* status) {
  return itest::inkwell_cli(args, status);
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The tables of Flasky's final version as SQLAlchemy creates them in SQLite.
const std::vector<std::string> kFlaskySchema = {
    "CREATE TABLE roles (id INTEGER NOT NULL, name VARCHAR(64), \"default\" BOOLEAN, "
    "permissions INTEGER, PRIMARY KEY (id), UNIQUE (name))",
    "CREATE INDEX ix_roles_default ON roles (\"default\")",
    "CREATE TABLE users (id INTEGER NOT NULL, email VARCHAR(64), username VARCHAR(64), "
    "role_id INTEGER, password_hash VARCHAR(128), confirmed BOOLEAN, name VARCHAR(64), "
    "location VARCHAR(64), about_me TEXT, member_since DATETIME, last_seen DATETIME, "
    "avatar_hash VARCHAR(32), PRIMARY KEY (id), FOREIGN KEY(role_id) REFERENCES roles (id))",
    "CREATE UNIQUE INDEX ix_users_email ON users (email)",
    "CREATE UNIQUE INDEX ix_users_username ON users (username)",
    "CREATE TABLE follows (follower_id INTEGER NOT NULL, followed_id INTEGER NOT NULL, "
    "timestamp DATETIME, PRIMARY KEY (follower_id, followed_id), "
    "FOREIGN KEY(follower_id) REFERENCES users (id), "
    "FOREIGN KEY(followed_id) REFERENCES users (id))",
    "CREATE TABLE posts (id INTEGER NOT NULL, body TEXT, body_html TEXT, timestamp DATETIME, "
    "author_id INTEGER, PRIMARY KEY (id), FOREIGN KEY(author_id) REFERENCES users (id))",
    "CREATE INDEX ix_posts_timestamp ON posts (timestamp)",
    "CREATE TABLE comments (id INTEGER NOT NULL, body TEXT, body_html TEXT, timestamp DATETIME, "
    "disabled BOOLEAN, author_id INTEGER, post_id INTEGER, PRIMARY KEY (id), "
    "FOREIGN KEY(author_id) REFERENCES users (id), FOREIGN KEY(post_id) REFERENCES posts (id))",
    "CREATE INDEX ix_comments_timestamp ON comments (timestamp)",
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
};

// Runs statements ([sql, [params...]] each) into a new SQLite file with
// Debian's python3 (the PATH one may be a pyenv build without sqlite3).
const char* const kSqliteWriter = R"PY(
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with open(sys.argv[2]) as f:
    for sql, params in json.load(f):
        db.execute(sql, params)
db.commit()
db.close()
)PY";

class FlaskyFile {
 public:
  FlaskyFile() {
    static int n = 0;
    path_ = "/tmp/inkwell-itest-flasky-" + std::to_string(getpid()) + "-" + std::to_string(++n);
    std::remove((path_ + ".sqlite").c_str());
  }
  ~FlaskyFile() {
    for (const char* ext : {".sqlite", ".json", ".py"}) std::remove((path_ + ext).c_str());
  }
  FlaskyFile(const FlaskyFile&) = delete;
  FlaskyFile& operator=(const FlaskyFile&) = delete;

  std::string path() const { return path_ + ".sqlite"; }
  void add(const std::string& sql, nlohmann::json params = nlohmann::json::array()) {
    statements_.push_back({sql, std::move(params)});
  }
  // Writes the file from the statements added so far.
  void write() {
    std::ofstream(path_ + ".py") << kSqliteWriter;
    std::ofstream(path_ + ".json") << statements_.dump();
    int status = -1;
    std::string out =
        itest::run("/usr/bin/python3 " + shell_quote(path_ + ".py") + " " + shell_quote(path()) +
                       " " + shell_quote(path_ + ".json") + " 2>&1",
                   &status);
    REQUIRE_MESSAGE(status == 0, "python3 could not write the Flasky database:\n" << out);
  }

 private:
  std::string path_;
  nlohmann::json statements_ = nlohmann::json::array();
};

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// Werkzeug hashes made for this test with Python's hashlib, in Werkzeug's
// format: pbkdf2:sha256 (more iterations than the test stack's method, so a
// login upgrades it), scrypt (Werkzeug 3's method) and old pbkdf2:sha1.
const std::string kSusanPassword = "susan secret 1";
const std::string kSusanHash =
    "pbkdf2:sha256:2000$Vt3kQ9xLmP2sW7aZ$"
    "fbcc32e6089c98a662759db7951b40d39ff4838db6c904701e9c79bdb7c085e0";
const std::string kDavidPassword = "david secret 2";
const std::string kDavidHash =
    "scrypt:16384:8:1$bX4nR8yTcE1uJ6hG$"
    "f93f681436901a19774a264681de5ea4cf0327fa8a1e4d97f27b61116718bdb03ea54fba0783e321bcea7c49"
    "d5b5188401af8f754d219f745989e3ebc801d4f4";
const std::string kModPassword = "moderator secret 3";
const std::string kModHash =
    "pbkdf2:sha1:1000$Hq7LmZ2vNc9XwK3p$ca1cebccde17d09a90fdef3dcb612fd6532ac635";

const std::string kInsertUser =
    "INSERT INTO users (id, email, username, role_id, password_hash, confirmed, name, location, "
    "about_me, member_since, last_seen, avatar_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const std::string kInsertPost =
    "INSERT INTO posts (id, body, body_html, timestamp, author_id) VALUES (?, ?, ?, ?, ?)";
const std::string kInsertFollow =
    "INSERT INTO follows (follower_id, followed_id, timestamp) VALUES (?, ?, ?)";
const std::string kInsertComment =
    "INSERT INTO comments (id, body, body_html, timestamp, disabled, author_id, post_id) VALUES "
    "(?, ?, ?, ?, ?, ?, ?)";

// Every counter equals the COUNT(*) it stands for (the whole database).
void check_counters() {
  CHECK(sql_count("SELECT COUNT(*) FROM users u WHERE post_count <> "
                  "(SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id)") == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM users u WHERE followers_count <> "
                  "(SELECT COUNT(*) FROM follows f WHERE f.followed_id = u.id AND "
                  "f.follower_id <> u.id)") == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM users u WHERE following_count <> "
                  "(SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id AND "
                  "f.followed_id <> u.id)") == 0);
  CHECK(sql_count("SELECT COUNT(*) FROM posts p WHERE comment_count <> "
                  "(SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id)") == 0);
  CHECK(sql_value("SELECT value FROM counters WHERE name = 'posts'") ==
        sql_value("SELECT COUNT(*) FROM posts"));
  CHECK(sql_value("SELECT value FROM counters WHERE name = 'comments'") ==
        sql_value("SELECT COUNT(*) FROM comments"));
}

void check_login(const std::string& email, const std::string& password,
                 const std::string& username) {
  itest::Client c;
  itest::Reply r = itest::auth::login(c, email, password);
  REQUIRE_MESSAGE(r.status == 302, "login of " << username << ": " << r.status);
  CHECK(c.get("/").contains("Hello, " + username + "!"));
  std::string method = itest::env_or("INKWELL_PASSWORD_METHOD", "scrypt:32768:8:1");
  CHECK(itest::auth::password_hash(username).rfind(method + "$", 0) == 0);
}

}  // namespace

TEST_CASE("import-flasky: imports a Flasky database; its users log in with their passwords") {
  const std::string p = itest::auth::unique("i");  // [a-z0-9], starts with a letter
  int status = -1;

  // An account of ours whose username and email the Flasky database also has.
  std::string out = itest::run("printf '%s\\n' 'long enough 1' | " + itest::inkwell_binary() +
                                   " create-user --email " + p + "taken@example.com --username " +
                                   p + "taken --confirmed 2>&1",
                               &status);
  REQUIRE_MESSAGE(status == 0, out);

  FlaskyFile flasky;
  for (const std::string& ddl : kFlaskySchema) flasky.add(ddl);
  flasky.add("INSERT INTO alembic_version VALUES ('d66f086b258')");
  flasky.add(
      "INSERT INTO roles VALUES (1, 'User', 1, 7), (2, 'Moderator', 0, 15), "
      "(3, 'Administrator', 0, 31), (4, 'Guest', 0, 1)");
  const std::string susan = p + "susan", david = p + "david", mod = p + "mod", guest = p + "guest";
  const std::string susan_email = upper(p) + "Susan@Example.com";  // stored lower-case here
  flasky.add(kInsertUser, {1, susan_email, susan, 1, kSusanHash, 1, "Susan", "Lisbon", "Hi!",
                           "2023-01-02 10:00:00.123456", "2024-05-01 12:34:56.654321", "x"});
  flasky.add(kInsertUser,
             {2, david + "@example.com", david, 3, kDavidHash, 1, "David", "Oslo", "Admin",
              "2023-01-03 09:00:00.000000", "2024-05-01 12:00:00.000000", nullptr});
  // NULL profile fields, a location that is not UTF-8 (repaired).
  flasky.add(kInsertUser, {3, mod + "@example.com", mod, 2, kModHash, 1, nullptr, nullptr, nullptr,
                           "2023-02-01 08:00:00.000000", nullptr, nullptr});
  // Skipped: username taken here, username against our rule, email of user 1
  // in another case, email taken here.
  flasky.add(kInsertUser, {4, p + "other@example.com", p + "taken", 1, kSusanHash, 1, "", "", "",
                           "2023-03-01 08:00:00.000000", nullptr, nullptr});
  flasky.add(kInsertUser, {5, p + "bad@example.com", "9" + p + "bad", 1, kSusanHash, 1, "", "", "",
                           "2023-03-02 08:00:00.000000", nullptr, nullptr});
  flasky.add(kInsertUser, {7, p + "susan@example.com", p + "susan2", 1, kSusanHash, 1, "", "", "",
                           "2023-03-03 08:00:00.000000", nullptr, nullptr});
  flasky.add(kInsertUser, {8, upper(p) + "TAKEN@example.com", p + "fresh", 1, kSusanHash, 1, "", "",
                           "", "2023-03-04 08:00:00.000000", nullptr, nullptr});
  // A role we do not have, no password hash, not confirmed, no self-follow.
  flasky.add(kInsertUser, {6, guest + "@example.com", guest, 4, nullptr, 0, "Guest", "", "",
                           "not a time", nullptr, nullptr});
  flasky.add("UPDATE users SET location = CAST(X'4C697362FF6F6E' AS TEXT) WHERE id = 3");

  flasky.add(kInsertPost, {1, "# Hello\n\nThis is **bold** <script>alert(1)</script>",
                           "<h1>Hello</h1><p>This is <b>bold</b> <script>alert(1)</script></p>",
                           "2024-01-01 10:00:00.000000", 1});
  flasky.add(kInsertPost, {2, "A [link](https://example.com/) post", "<p>old html</p>",
                           "2024-01-02 10:00:00.000000", 2});
  flasky.add(kInsertPost,
             {3, "by the taken user", "<p>by the taken user</p>", "2024-01-03 10:00:00.000000", 4});
  std::string huge;
  for (int i = 0; i < 50000; ++i) huge += "word ";  // 250,000 bytes
  flasky.add(kInsertPost, {4, huge, nullptr, "2024-01-04 10:00:00.000000", 3});
  flasky.add(kInsertPost, {5, nullptr, nullptr, nullptr, 1});  // odd, but kept
  flasky.add(kInsertPost, {6, "nobody's", nullptr, "2024-01-05 10:00:00.000000", nullptr});

  // Flasky stores everyone's self-follow.
  for (int u : {1, 2, 3, 4, 5, 7, 8}) {
    flasky.add(
        kInsertFollow,
        {u, u, u == 1 ? nlohmann::json("2023-01-02 10:00:01.000000") : nlohmann::json(nullptr)});
  }
  flasky.add(kInsertFollow, {1, 2, "2024-02-01 10:00:00.000000"});
  flasky.add(kInsertFollow, {2, 1, "2024-02-02 10:00:00.000000"});
  flasky.add(kInsertFollow, {3, 1, "2024-02-03 10:00:00.000000"});
  flasky.add(kInsertFollow, {1, 4, "2024-02-04 10:00:00.000000"});  // skipped: user 4
  flasky.add(kInsertFollow, {4, 1, "2024-02-05 10:00:00.000000"});  // skipped: user 4

  flasky.add(kInsertComment, {1, "Nice *post*", "<p>Nice <em>post</em></p>",
                              "2024-01-01 11:00:00.000000", 0, 2, 1});
  flasky.add(kInsertComment, {2, "spam <img src=x onerror=alert(1)>", "<p>spam</p>",
                              "2024-01-01 12:00:00.000000", 1, 3, 1});
  flasky.add(kInsertComment,  // skipped: its post's author was skipped
             {3, "on a skipped post", "", "2024-01-03 11:00:00.000000", 0, 1, 3});
  flasky.add(kInsertComment,  // skipped: author skipped
             {4, "by a skipped user", "", "2024-01-02 11:00:00.000000", 0, 4, 2});
  flasky.add(kInsertComment,  // skipped: longer than our comments.body (TEXT)
             {5, std::string(70000, 'x'), "", "2024-01-02 12:00:00.000000", 0, 2, 2});
  flasky.write();

  const std::string ours = "(SELECT id FROM users WHERE username IN ('" + susan + "', '" + david +
                           "', '" + mod + "', '" + guest + "'))";
  const long users_before = itest::auth::user_count();

  // A dry run reports the same and changes nothing.
  out = cli("import-flasky --dry-run --sqlite " + shell_quote(flasky.path()), &status);
  REQUIRE_MESSAGE(status == 0, out);
  CHECK(has(out, "users: 4 imported, 4 skipped"));
  CHECK(has(out, "dry run"));
  CHECK(itest::auth::user_count() == users_before);
  CHECK(sql_count("SELECT COUNT(*) FROM users WHERE id IN " + ours) == 0);

  out = cli("import-flasky --sqlite " + shell_quote(flasky.path()), &status);
  REQUIRE_MESSAGE(status == 0, out);
  INFO(out);
  // The summary, with the skipped users and why.
  CHECK(has(out, "8 users, 6 posts, 12 follows, 5 comments"));
  CHECK(has(out, "users: 4 imported, 4 skipped"));
  CHECK(has(out, "skipped Flasky user 4 '" + p + "taken'"));
  CHECK(has(out, "username already in use here"));
  CHECK(has(out, "skipped Flasky user 5 '9" + p + "bad'"));
  CHECK(has(out, "username does not match"));
  CHECK(has(out, "skipped Flasky user 7"));
  CHECK(has(out, "the same email (ignoring case) as an earlier user"));
  CHECK(has(out, "skipped Flasky user 8"));
  CHECK(has(out, "email already registered here"));
  CHECK(has(out, "Guest -> User (no such role here: the default role): 1 user"));
  CHECK(has(out, "Moderator -> Moderator: 1 user"));
  CHECK(has(out, "posts: 4 imported, 2 skipped (author not imported: 2)"));
  CHECK(has(out, "follows: 3 imported besides 4 self-follows, 2 skipped"));
  CHECK(has(out, "comments: 2 imported (1 disabled), 3 skipped"));
  CHECK(has(out, "1 user has no password hash we can verify"));
  CHECK(has(out, "repaired: 1 text with invalid UTF-8"));
  CHECK(has(out, "committed"));

  // Users: new ids, roles by name, lower-cased emails, hashes as stored.
  CHECK(itest::auth::user_count() == users_before + 4);
  CHECK(sql_count("SELECT COUNT(*) FROM users WHERE username IN ('" + p + "susan2', '" + p +
                  "fresh', '9" + p + "bad') OR email = '" + p + "other@example.com'") == 0);
  auto role_of = [](const std::string& username) {
    return sql_value(
        "SELECT r.name FROM users u JOIN roles r ON r.id = u.role_id WHERE "
        "u.username = " +
        sql_quote(username));
  };
  CHECK(role_of(susan) == "User");
  CHECK(role_of(david) == "Administrator");
  CHECK(role_of(mod) == "Moderator");
  CHECK(role_of(guest) == "User");
  CHECK(sql_value("SELECT email FROM users WHERE username = " + sql_quote(susan)) ==
        p + "susan@example.com");
  CHECK(sql_count("SELECT COUNT(*) FROM users WHERE id IN " + ours +
                  " AND email = LOWER(email) AND avatar_hash = MD5(email)") == 4);
  CHECK(itest::auth::password_hash(susan) == kSusanHash);
  CHECK(itest::auth::password_hash(david) == kDavidHash);
  CHECK(itest::auth::password_hash(mod) == kModHash);
  CHECK(itest::auth::password_hash(guest).empty());
  CHECK(sql_value("SELECT CONCAT_WS('|', confirmed, name, location, about_me, member_since, "
                  "last_seen) FROM users WHERE username = " +
                  sql_quote(susan)) ==
        "1|Susan|Lisbon|Hi!|2023-01-02 10:00:00.123456|2024-05-01 12:34:56.654321");
  CHECK(sql_value("SELECT CONCAT_WS('|', name, HEX(location), about_me, last_seen = "
                  "member_since) FROM users WHERE username = " +
                  sql_quote(mod)) == "|4C697362EFBFBD6F6E||1");
  CHECK(sql_value("SELECT confirmed FROM users WHERE username = " + sql_quote(guest)) == "0");

  // Follows: the pairs among imported users, one self-follow each.
  CHECK(sql_count("SELECT COUNT(*) FROM follows WHERE follower_id = followed_id AND follower_id "
                  "IN " +
                  ours) == 4);
  CHECK(sql_value("SELECT timestamp FROM follows f JOIN users u ON u.id = f.follower_id AND "
                  "u.id = f.followed_id WHERE u.username = " +
                  sql_quote(susan)) == "2023-01-02 10:00:01.000000");
  CHECK(sql_count("SELECT COUNT(*) FROM follows WHERE follower_id <> followed_id AND "
                  "(follower_id IN " +
                  ours + " OR followed_id IN " + ours + ")") == 3);
  CHECK(sql_value("SELECT CONCAT_WS('|', followers_count, following_count) FROM users WHERE "
                  "username = " +
                  sql_quote(susan)) == "2|1");
  CHECK(sql_value("SELECT CONCAT_WS('|', post_count, followers_count, following_count) FROM "
                  "users WHERE username = " +
                  sql_quote(p + "taken")) == "0|0|0");

  // Posts: body_html rendered again from body; Flasky's HTML is gone.
  CHECK(sql_count("SELECT COUNT(*) FROM posts WHERE author_id IN " + ours) == 4);
  std::string html = sql_value(
      "SELECT body_html FROM posts p JOIN users u ON u.id = p.author_id "
      "WHERE u.username = " +
      sql_quote(susan) + " AND p.body LIKE '# Hello%'");
  CHECK(has(html, "<h1>Hello</h1>"));
  CHECK(has(html, "<strong>bold</strong>"));
  CHECK_FALSE(has(html, "<script"));
  CHECK_FALSE(has(html, "<b>"));
  CHECK(sql_value("SELECT body_html FROM posts p JOIN users u ON u.id = p.author_id WHERE "
                  "u.username = " +
                  sql_quote(david)) == "<p>A <a href=\"https://example.com/\">link</a> post</p>");
  CHECK(sql_count("SELECT LENGTH(body) FROM posts p JOIN users u ON u.id = p.author_id WHERE "
                  "u.username = " +
                  sql_quote(mod)) == 250000);
  CHECK(sql_count("SELECT COUNT(*) FROM posts p JOIN users u ON u.id = p.author_id WHERE "
                  "u.username = " +
                  sql_quote(susan) + " AND p.body = '' AND p.timestamp > NOW() - INTERVAL 1 DAY") ==
        1);
  CHECK(sql_value("SELECT post_count FROM users WHERE username = " + sql_quote(susan)) == "2");

  // Comments: disabled flag kept, HTML rendered again, counts.
  CHECK(sql_value("SELECT GROUP_CONCAT(c.disabled, ':', c.body_html ORDER BY c.timestamp "
                  "SEPARATOR '|') FROM comments c WHERE c.author_id IN " +
                  ours) == "0:<p>Nice <em>post</em></p>|1:<p>spam <!-- raw HTML omitted --></p>");
  CHECK(sql_value("SELECT comment_count FROM posts p JOIN users u ON u.id = p.author_id WHERE "
                  "u.username = " +
                  sql_quote(susan) + " AND p.body LIKE '# Hello%'") == "2");
  check_counters();

  // Each logs in with their Flasky password (the email in any case), and the
  // hash is upgraded to the configured method.
  check_login(susan_email, kSusanPassword, susan);
  check_login(david + "@example.com", kDavidPassword, david);
  check_login(upper(mod) + "@EXAMPLE.com", kModPassword, mod);

  // Again: everyone is now taken, nothing is added.
  out = cli("import-flasky --sqlite " + shell_quote(flasky.path()), &status);
  CHECK_MESSAGE(status == 0, out);
  CHECK(has(out, "users: 0 imported, 8 skipped"));
  CHECK(itest::auth::user_count() == users_before + 4);
  check_counters();
}

TEST_CASE("import-flasky: an older Flasky's schema; --dry-run changes nothing") {
  const std::string p = itest::auth::unique("o");
  // Chapter 8: no confirmation, profiles, follows or comments yet.
  FlaskyFile flasky;
  flasky.add("CREATE TABLE roles (id INTEGER NOT NULL, name VARCHAR(64), PRIMARY KEY (id))");
  flasky.add(
      "CREATE TABLE users (id INTEGER NOT NULL, email VARCHAR(64), username VARCHAR(64), "
      "role_id INTEGER, password_hash VARCHAR(128), PRIMARY KEY (id))");
  flasky.add(
      "CREATE TABLE posts (id INTEGER NOT NULL, body TEXT, timestamp DATETIME, "
      "author_id INTEGER, PRIMARY KEY (id))");
  flasky.add("INSERT INTO roles VALUES (1, 'User'), (2, 'Administrator')");
  flasky.add("INSERT INTO users VALUES (1, ?, ?, 2, ?)", {p + "@example.com", p, kSusanHash});
  flasky.add("INSERT INTO posts VALUES (1, 'old *post*', '2020-06-01 08:00:00', 1)");
  flasky.write();

  const std::string posts = sql_value("SELECT COUNT(*) FROM posts");
  const std::string counters = sql_value("SELECT GROUP_CONCAT(name, value) FROM counters");
  int status = -1;
  std::string out =
      cli("import-flasky --sqlite " + shell_quote(flasky.path()) + " --dry-run", &status);
  REQUIRE_MESSAGE(status == 0, out);
  CHECK(has(out, "users: 1 imported, 0 skipped"));
  CHECK(has(out, "posts: 1 imported"));
  CHECK(has(out, "note: users has no confirmed column"));
  CHECK(has(out, "note: no comments table"));
  CHECK(has(out, "rolled back"));
  CHECK(sql_count("SELECT COUNT(*) FROM users WHERE username = " + sql_quote(p)) == 0);
  CHECK(sql_value("SELECT COUNT(*) FROM posts") == posts);
  CHECK(sql_value("SELECT GROUP_CONCAT(name, value) FROM counters") == counters);

  out = cli("import-flasky --sqlite " + shell_quote(flasky.path()), &status);
  REQUIRE_MESSAGE(status == 0, out);
  CHECK(sql_value("SELECT CONCAT_WS('|', u.confirmed, r.name, u.post_count, u.name) FROM users u "
                  "JOIN roles r ON r.id = u.role_id WHERE u.username = " +
                  sql_quote(p)) == "1|Administrator|1|");
  CHECK(sql_value("SELECT CONCAT_WS('|', p.timestamp, p.body_html) FROM posts p JOIN users u ON "
                  "u.id = p.author_id WHERE u.username = " +
                  sql_quote(p)) == "2020-06-01 08:00:00.000000|<p>old <em>post</em></p>");
  CHECK(sql_count("SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.follower_id AND u.id = "
                  "f.followed_id WHERE u.username = " +
                  sql_quote(p)) == 1);
  check_counters();
}

TEST_CASE("import-flasky: refuses a missing option, an unreadable file or another database") {
  int status = -1;
  std::string out = cli("help", &status);
  CHECK(has(out, "import-flasky --sqlite PATH"));

  out = cli("import-flasky", &status);
  CHECK(status == 2);
  CHECK(has(out, "--sqlite is required"));
  out = cli("import-flasky --sqlite", &status);
  CHECK(status == 2);
  out = cli("import-flasky --sqlite /nonexistent/flasky.sqlite", &status);
  CHECK(status == 2);
  CHECK(has(out, "cannot read /nonexistent/flasky.sqlite"));

  FlaskyFile text;
  std::ofstream(text.path()) << "this is not a database\n";
  out = cli("import-flasky --sqlite " + shell_quote(text.path()), &status);
  CHECK(status == 2);
  CHECK(has(out, "not a database"));

  FlaskyFile other;
  other.add("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)");
  other.write();
  out = cli("import-flasky --sqlite " + shell_quote(other.path()), &status);
  CHECK(status == 2);
  CHECK(has(out, "not a Flasky database: it has no users table"));

  FlaskyFile no_email;
  no_email.add("CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(64))");
  no_email.write();
  out = cli("import-flasky --sqlite " + shell_quote(no_email.path()), &status);
  CHECK(status == 2);
  CHECK(has(out, "table users has no email column"));

  const long users = itest::auth::user_count();
  out = cli("import-flasky --sqlite " + shell_quote(other.path()) + " --dry-run --force", &status);
  CHECK(status == 2);
  CHECK(has(out, "unknown argument '--force'"));
  CHECK(itest::auth::user_count() == users);
}
