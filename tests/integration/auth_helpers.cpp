#include "auth_helpers.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace itest::auth {
namespace {

std::string mariadb_command() {
  return "mariadb --socket=" + shell_quote(env_or("INKWELL_DB_SOCKET", "")) + " -u" +
         shell_quote(env_or("INKWELL_DB_USER", "inkwell")) + " -p" +
         shell_quote(env_or("INKWELL_DB_PASSWORD", "")) + " " +
         shell_quote(env_or("INKWELL_DB_NAME", "inkwell")) + " -N -B";
}

std::string unhex(const std::string& hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0, at;
  while ((at = s.find(sep, start)) != std::string::npos) {
    out.push_back(s.substr(start, at - start));
    start = at + 1;
  }
  out.push_back(s.substr(start));
  return out;
}

// Reads a Maildir: argv = maildir, recipient (lower-case), subject ("" = any).
// Prints a JSON array of the matching messages, oldest first.
const char* const kMaildirReader = R"PY(
import email, email.utils, json, os, sys
from email import policy
maildir, rcpt, subject = sys.argv[1], sys.argv[2].lower(), sys.argv[3]
found = []
for sub in ("new", "cur"):
    folder = os.path.join(maildir, sub)
    try:
        names = os.listdir(folder)
    except OSError:
        continue
    for name in names:
        path = os.path.join(folder, name)
        try:
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(f, policy=policy.default)
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            continue
        to = [a.lower() for _, a in email.utils.getaddresses([str(h) for h in msg.get_all("To", [])])]
        if rcpt not in to:
            continue
        subj = str(msg.get("Subject", ""))
        if subject and subj != subject:
            continue
        text = html = ""
        types = []
        for part in msg.walk():
            if part.is_multipart():
                continue
            ctype = part.get_content_type()
            types.append(ctype)
            try:
                content = part.get_content()
            except Exception:
                content = ""
            if not isinstance(content, str):
                content = ""
            if ctype == "text/plain" and not text:
                text = content
            elif ctype == "text/html" and not html:
                html = content
        found.append((mtime, name, {"file": path, "from": str(msg.get("From", "")),
                      "to": str(msg.get("To", "")), "subject": subj,
                      "content_type": msg.get_content_type(), "text": text,
                      "html": html, "part_types": types}))
found.sort(key=lambda t: (t[0], t[1]))
json.dump([t[2] for t in found], sys.stdout)
)PY";

const std::string& maildir_reader_path() {
  static const std::string path = [] {
    std::string p = "/tmp/inkwell-itest-maildir-" + std::to_string(getpid()) + ".py";
    std::ofstream(p) << kMaildirReader;
    return p;
  }();
  return path;
}

struct ReaderCleanup {
  ~ReaderCleanup() {
    std::remove(("/tmp/inkwell-itest-maildir-" + std::to_string(getpid()) + ".py").c_str());
  }
} reader_cleanup;

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

std::string unique(const std::string& prefix) {
  static std::atomic<int> counter{0};
  auto now = std::chrono::system_clock::now().time_since_epoch();
  long stamp =
      static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(now).count() % 100000);
  return prefix + std::to_string(getpid()) + "t" + std::to_string(stamp) + "n" +
         std::to_string(++counter);
}

Account new_account(const std::string& prefix) {
  Account a;
  a.username = unique(prefix);
  a.email = a.username + "@example.com";
  a.password = "pw-" + a.username;
  return a;
}

std::string csrf_token(const Reply& page) {
  const std::string marker = "name=\"csrf_token\" value=\"";
  std::size_t at = page.body.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  std::size_t end = page.body.find('"', at);
  return end == std::string::npos ? "" : page.body.substr(at, end - at);
}

Reply submit(Client& c, const std::string& form_path, Fields fields, const std::string& post_path) {
  Reply form = c.get(form_path);
  REQUIRE_MESSAGE(form.status == 200, "GET " << form_path << " answered " << form.status);
  std::string token = csrf_token(form);
  REQUIRE_MESSAGE(!token.empty(), "no csrf_token on " << form_path);
  fields.emplace_back("csrf_token", token);
  return c.post(post_path.empty() ? form_path : post_path, form_encode(fields));
}

long write_post(Client& c, const std::string& body) {
  Reply r = submit(c, "/", {{"body", body}});
  REQUIRE_MESSAGE(r.status == 302, "posting gave " << r.status << "\n" << r.body);
  CHECK(r.header("location") == "/");
  long id = sql_count("SELECT MAX(id) FROM posts WHERE body = " + sql_quote(body));
  REQUIRE(id > 0);
  return id;
}

Reply follow_all(Client& c, Reply r) {
  for (int i = 0; i < 5 && r.status >= 300 && r.status < 400; ++i) r = c.follow(r);
  return r;
}

std::string between(const std::string& text, const std::string& open, const std::string& close) {
  std::size_t at = text.find(open);
  if (at == std::string::npos) return "";
  at += open.size();
  std::size_t end = text.find(close, at);
  return end == std::string::npos ? "" : text.substr(at, end - at);
}

std::vector<std::string> all_between(const std::string& text, const std::string& open,
                                     const std::string& close) {
  std::vector<std::string> out;
  for (std::size_t at = text.find(open); at != std::string::npos; at = text.find(open, at)) {
    at += open.size();
    std::size_t end = text.find(close, at);
    if (end == std::string::npos) break;
    out.push_back(text.substr(at, end - at));
    at = end + close.size();
  }
  return out;
}

std::size_t occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

std::string upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

std::string url_escape(const std::string& s) {
  char* e = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
  std::string out = e;
  curl_free(e);
  return out;
}

Reply register_account(Client& c, const Account& a) {
  return submit(c, "/auth/register",
                {{"email", a.email},
                 {"username", a.username},
                 {"password", a.password},
                 {"password2", a.password}});
}

Reply login(Client& c, const std::string& email, const std::string& password, bool remember,
            const std::string& next) {
  Fields f{{"email", email}, {"password", password}};
  if (remember) f.emplace_back("remember_me", "y");
  std::string path = "/auth/login";
  if (!next.empty()) path += "?next=" + url_escape(next);
  return submit(c, path, f);
}

void register_ok(const Account& a) {
  Client c;
  Reply r = register_account(c, a);
  REQUIRE_MESSAGE(r.status == 302, "registering " << a.email << ": " << r.status << "\n" << r.body);
}

Account confirmed_user(Client& c, const std::string& prefix) {
  Account a = new_account(prefix);
  register_ok(a);
  Reply r = login(c, a.email, a.password);
  REQUIRE(r.status == 302);
  auto rows = outbox(a.email, "[Inkwell] Confirm Your Account");
  REQUIRE(rows.size() == 1);
  std::string link = find_link(rows.back().text, "/auth/confirm/");
  REQUIRE(!link.empty());
  r = c.get(link);
  REQUIRE(r.status == 302);
  REQUIRE(sql_value("SELECT confirmed FROM users WHERE username = " + sql_quote(a.username)) ==
          "1");
  c.follow(r);  // shows (and so consumes) the flash
  return a;
}

Reply get_with_cookie(Client& c, const std::string& path, const std::string& cookie) {
  return c.get(path, {"Cookie: " + cookie});
}

// ---- the test database ----

std::string sql(const std::string& query) {
  int status = -1;
  std::string out = run(mariadb_command() + " -e " + shell_quote(query) + " 2>/dev/null", &status);
  if (status != 0) {
    std::string err = run(mariadb_command() + " -e " + shell_quote(query) + " 2>&1");
    FAIL("mariadb failed (" << status << ") for: " << query << "\n" << err);
  }
  return out;
}

std::string sql_value(const std::string& query) {
  std::string out = sql(query);
  std::string line = out.substr(0, out.find('\n'));
  return line.substr(0, line.find('\t'));
}

long sql_count(const std::string& query) {
  std::string v = sql_value(query);
  return v.empty() ? 0 : std::stol(v);
}

long node_status(int node, const std::string& name) {
  const std::string q =
      "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '" + name +
      "'";
  const std::string socket =
      env_or("INKWELL_CLUSTER_DIR", "") + "/node" + std::to_string(node) + "/run/mysqld.sock";
  const std::string out =
      run("mariadb --socket=" + shell_quote(socket) + " -u" +
          shell_quote(env_or("INKWELL_DB_USER", "inkwell")) + " -p" +
          shell_quote(env_or("INKWELL_DB_PASSWORD", "")) + " -N -B -e " + shell_quote(q));
  return std::stol(out.empty() ? "0" : out);
}

long global_status(const std::string& name) {
  if (stack_name() != "cluster") {
    return sql_count(
        "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
        "WHERE VARIABLE_NAME = " +
        sql_quote(name));
  }
  long total = 0;
  for (int node = 1; node <= 3; ++node) total += node_status(node, name);
  return total;
}

void set_last_seen(const std::string& username, const std::string& when) {
  sql("UPDATE users u LEFT JOIN user_activity a ON a.user_id = u.id SET u.last_seen = " + when +
      ", a.last_seen = " + when + " WHERE u.username = " + sql_quote(username));
}

long feed_mismatches() {
  // Fanned-out posts are in feed_entries; unfanned ones (authors with many
  // followers) only in feed_unfanned_posts, counted in feed_big_authors.
  const std::string unfanned =
      "EXISTS (SELECT 1 FROM feed_unfanned_posts n WHERE n.post_id = p.id)";
  return sql_count(
      "SELECT (SELECT COUNT(*) FROM follows f JOIN posts p ON p.author_id = f.followed_id "
      "LEFT JOIN feed_entries e ON e.reader_id = f.follower_id AND e.post_id = p.id "
      "AND e.timestamp = p.timestamp WHERE e.reader_id IS NULL AND NOT " +
      unfanned +
      ") + "
      "(SELECT COUNT(*) FROM feed_entries e LEFT JOIN posts p ON p.id = e.post_id "
      "LEFT JOIN follows f ON f.follower_id = e.reader_id AND f.followed_id = p.author_id "
      "WHERE f.follower_id IS NULL OR " +
      unfanned +
      ") + "
      "(SELECT COUNT(*) FROM feed_counts c WHERE c.entries <> "
      "(SELECT COUNT(*) FROM feed_entries e WHERE e.reader_id = c.reader_id)) + "
      "(SELECT COUNT(*) FROM (SELECT DISTINCT reader_id FROM feed_entries) r "
      "LEFT JOIN feed_counts c ON c.reader_id = r.reader_id WHERE c.reader_id IS NULL) + "
      "(SELECT COUNT(*) FROM feed_unfanned_posts n LEFT JOIN posts p ON p.id = n.post_id "
      "AND p.author_id = n.author_id AND p.timestamp = n.timestamp WHERE p.id IS NULL) + "
      "(SELECT COUNT(*) FROM (SELECT author_id, COUNT(*) AS c FROM feed_unfanned_posts "
      "GROUP BY author_id) x LEFT JOIN feed_big_authors b ON b.author_id = x.author_id "
      "WHERE b.posts IS NULL OR b.posts <> x.c)");
}

std::string sql_quote(const std::string& text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
}

std::string user_id(const std::string& username) {
  return sql_value("SELECT id FROM users WHERE username = " + sql_quote(username));
}

std::string password_hash(const std::string& username) {
  return sql_value("SELECT password_hash FROM users WHERE username = " + sql_quote(username));
}

long user_count() {
  return sql_count("SELECT COUNT(*) FROM users");
}

long sessions_of(const std::string& username) {
  return sql_count(
      "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = " +
      sql_quote(username));
}

long remember_tokens_of(const std::string& username) {
  return sql_count(
      "SELECT COUNT(*) FROM remember_tokens r JOIN users u ON u.id = r.user_id WHERE "
      "u.username = " +
      sql_quote(username));
}

std::vector<OutboxRow> outbox(const std::string& to, const std::string& subject) {
  std::string q =
      "SELECT id, HEX(recipient), HEX(subject), HEX(body_text), HEX(body_html), sent_at IS NOT "
      "NULL FROM mail_outbox WHERE recipient = " +
      sql_quote(to);
  if (!subject.empty()) q += " AND subject = " + sql_quote(subject);
  // Not by id alone: on a Galera cluster ids interleave by node
  // (auto_increment_increment), not by time.
  q += " ORDER BY created_at, id";
  std::vector<OutboxRow> rows;
  std::istringstream lines(sql(q));
  std::string line;
  while (std::getline(lines, line)) {
    auto f = split(line, '\t');
    if (f.size() != 6) continue;
    OutboxRow r;
    r.id = std::stol(f[0]);
    r.recipient = unhex(f[1]);
    r.subject = unhex(f[2]);
    r.text = unhex(f[3]);
    r.html = unhex(f[4]);
    r.sent = f[5] == "1";
    rows.push_back(std::move(r));
  }
  return rows;
}

// ---- mail ----

std::vector<Mail> maildir(const std::string& to, const std::string& subject) {
  std::string dir = env_or("INKWELL_TEST_MAILDIR", stack_dir() + "/mail");
  int status = -1;
  std::string out =
      run("/usr/bin/python3 " + shell_quote(maildir_reader_path()) + " " + shell_quote(dir) + " " +
              shell_quote(lower(to)) + " " + shell_quote(subject),
          &status);
  REQUIRE_MESSAGE(status == 0, "the Maildir reader failed: " << out);
  std::vector<Mail> mails;
  for (const auto& j : nlohmann::json::parse(out)) {
    Mail m;
    m.file = j.at("file").get<std::string>();
    m.from = j.at("from").get<std::string>();
    m.to = j.at("to").get<std::string>();
    m.subject = j.at("subject").get<std::string>();
    m.content_type = j.at("content_type").get<std::string>();
    m.text = j.at("text").get<std::string>();
    m.html = j.at("html").get<std::string>();
    m.part_types = j.at("part_types").get<std::vector<std::string>>();
    mails.push_back(std::move(m));
  }
  return mails;
}

std::vector<Mail> wait_for_mail(const std::string& to, const std::string& subject,
                                std::size_t count, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto mails = maildir(to, subject);
    if (mails.size() >= count || std::chrono::steady_clock::now() >= deadline) return mails;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

std::string find_link(const std::string& text, const std::string& route) {
  std::string prefix = base_url() + route;
  std::size_t at = text.find(prefix);
  if (at == std::string::npos) return "";
  std::size_t end = at + prefix.size();
  auto token_char = [](unsigned char ch) {
    return std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.';
  };
  while (end < text.size() && token_char(static_cast<unsigned char>(text[end]))) ++end;
  if (end == at + prefix.size()) return "";
  return text.substr(at, end - at);
}

std::string token_of(const std::string& link, const std::string& route) {
  std::string prefix = base_url() + route;
  return link.rfind(prefix, 0) == 0 ? link.substr(prefix.size()) : "";
}

std::string mailed_link(const std::string& to, const std::string& subject, const std::string& route,
                        std::size_t nth) {
  auto rows = outbox(to, subject);
  REQUIRE_MESSAGE(rows.size() >= nth,
                  "no outbox message " << nth << " to " << to << ": " << subject);
  const OutboxRow& row = rows[nth - 1];
  std::string link = find_link(row.text, route);
  CHECK_MESSAGE(!link.empty(), "no " << route << " link in the text part:\n" << row.text);
  CHECK_MESSAGE(row.html.find(link) != std::string::npos, "HTML part lacks " << link);

  auto mails = wait_for_mail(to, subject, nth);
  CHECK_MESSAGE(mails.size() >= nth, "message " << nth << " to " << to << " (" << subject
                                                << ") not delivered to the Maildir within 10 s");
  if (mails.size() >= nth) {
    // The delivered copy of this message: with several mailers (app hosts)
    // mail for one address may arrive in another order than it was queued.
    std::size_t pick = nth - 1;
    for (std::size_t i = 0; i < mails.size(); ++i) {
      if (find_link(mails[i].text, route) == link) pick = i;
    }
    const Mail& m = mails[pick];
    CHECK(m.from == "Inkwell Admin <inkwell@example.com>");
    CHECK(m.subject == subject);
    CHECK(m.content_type == "multipart/alternative");
    CHECK(m.part_types == std::vector<std::string>{"text/plain", "text/html"});
    CHECK(find_link(m.text, route) == link);
    CHECK_MESSAGE(m.html.find(link) != std::string::npos, "delivered HTML lacks " << link);
  }
  return link;
}

SinkStopped::SinkStopped() {
  stopped_ = true;  // from here on the destructor starts it again
  int status = -1;
  std::string out = run("tests/stack/mailsink.sh stop " + stack_name() + " 2>&1", &status);
  REQUIRE_MESSAGE(status == 0, "mailsink.sh stop failed: " << out);
}

bool SinkStopped::restart() {
  if (!stopped_) return true;
  stopped_ = false;
  int status = -1;
  std::string out = run("tests/stack/mailsink.sh start " + stack_name() + " 2>&1", &status);
  if (status != 0) MESSAGE("mailsink.sh start failed: " << out);
  return status == 0;
}

SinkStopped::~SinkStopped() {
  if (stopped_) {
    int status = -1;
    run("tests/stack/mailsink.sh start " + stack_name() + " 2>&1", &status);
  }
}

std::string secret_key() {
  std::string key = env_or("INKWELL_SECRET_KEY", "");
  if (!key.empty()) return key;
  std::ifstream in(stack_dir() + "/secret_key");
  std::getline(in, key);
  return key;
}

std::string token_extra(long user_id, const std::string& payload) {
  std::string version =
      sql_value("SELECT token_version FROM users WHERE id = " + std::to_string(user_id));
  REQUIRE_MESSAGE(!version.empty(), "no user " << user_id);
  return version + ":" + payload;
}

std::string base64(const std::string& in) {
  static const char* const kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned n =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string basic(const std::string& user, const std::string& password) {
  return "Authorization: Basic " + base64(user + ":" + password);
}

}  // namespace itest::auth
