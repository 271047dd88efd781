#include "cli/flasky_import.hpp"

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>

#include "cli/batch_insert.hpp"
#include "cli/fake_data.hpp"
#include "core/http.hpp"
#include "core/markdown.hpp"
#include "core/security.hpp"
#include "models/user.hpp"

namespace inkwell::models {
namespace {

constexpr std::size_t kLookupsPerStatement = 500;
constexpr std::size_t kMaxBatchBytes = 4 << 20;
// Our column limits (sql/migrations): VARCHAR(64) counts characters, TEXT and
// MEDIUMTEXT bytes.
constexpr std::size_t kProfileChars = 64;           // users.name, users.location
constexpr std::size_t kTextBytes = 65535;           // users.about_me, comments.body(_html)
constexpr std::size_t kMediumTextBytes = 16777215;  // posts.body(_html)
constexpr std::size_t kPasswordHashBytes = 255;

// ---- text ----

// Replaces every byte that does not start a well-formed UTF-8 sequence
// (Unicode Table 3-7: no overlongs, surrogates or code points > U+10FFFF),
// and every NUL, with U+FFFD. Returns true when s changed.
bool repair_utf8(std::string& s) {
  std::string_view rest = s;
  std::string out;
  bool changed = false;
  std::size_t copied = 0;  // the first byte of s not yet appended to out
  while (!rest.empty()) {
    const std::size_t at = s.size() - rest.size();
    const std::size_t len = rest.front() == '\0' ? 0 : http::utf8_sequence_length(rest);
    if (len > 0) {
      rest.remove_prefix(len);
      continue;
    }
    if (!changed) out.reserve(s.size() + 16);
    changed = true;
    out.append(s, copied, at - copied);
    out.append("\xEF\xBF\xBD");
    rest.remove_prefix(1);
    copied = at + 1;
  }
  if (!changed) return false;
  out.append(s, copied, std::string::npos);
  s = std::move(out);
  return true;
}

// Cuts valid UTF-8 to at most max_chars code points / max_bytes bytes, at a
// character boundary. Returns true when s was cut.
bool truncate_chars(std::string& s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (++chars > max_chars) {
      s.resize(i);
      return true;
    }
  }
  return false;
}

bool truncate_bytes(std::string& s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return false;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return true;
}

// ---- time ----

std::string datetime_now() {
  auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto micros = now.time_since_epoch().count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%06ld", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long>(micros % 1'000'000));
  return buf;
}

// Reads `width` digits at s[at...] into *out.
bool digits(std::string_view s, std::size_t at, std::size_t width, int* out) {
  if (at + width > s.size()) return false;
  int v = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// SQLite text as SQLAlchemy writes it, "YYYY-MM-DD HH:MM:SS[.ffffff]" (also
// with 'T', a trailing 'Z' or "+00:00", or a date alone), as
// "YYYY-MM-DD HH:MM:SS.ffffff" for a DATETIME(6) column; nullopt for
// anything else, or a moment a DATETIME cannot hold.
std::optional<std::string> parse_timestamp(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::string_view s = *text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.ends_with("Z")) {
    s.remove_suffix(1);
  } else if (s.ends_with("+00:00")) {
    s.remove_suffix(6);
  }
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!digits(s, 0, 4, &year) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, &month) ||
      s[7] != '-' || !digits(s, 8, 2, &day)) {
    return std::nullopt;
  }
  std::string fraction;
  if (s.size() > 10) {
    if ((s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, &hour) || s.size() < 19 ||
        s[13] != ':' || !digits(s, 14, 2, &minute) || s[16] != ':' || !digits(s, 17, 2, &second)) {
      return std::nullopt;
    }
    if (s.size() > 19) {
      if (s[19] != '.' || s.size() == 20) return std::nullopt;
      fraction = std::string(s.substr(20));
      if (!std::all_of(fraction.begin(), fraction.end(),
                       [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
      }
    }
  }
  fraction.resize(6, '0');  // pads or cuts to microseconds
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (year < 1000 || month < 1 || month > 12 || day < 1 ||
      day > kDays[month - 1] + (month == 2 && leap ? 1 : 0) || hour > 23 || minute > 59 ||
      second > 59) {
    return std::nullopt;
  }
  char buf[96];  // room for any int, to keep -Wformat-truncation quiet
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%.6s", year, month, day, hour,
                minute, second, fraction.c_str());
  return std::string(buf);
}

// ---- bulk inserts ----

std::int64_t scalar(core::Db& db, const char* sql) {
  std::unique_ptr<sql::PreparedStatement> ps(db.connection().prepareStatement(sql));
  std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
  return rs->next() ? rs->getInt64(1) : 0;
}

// Which of values are already in users.<column> (email or username). Locks
// what it reads, and the gaps where the others would go, until the end of
// the transaction: nobody can take them meanwhile.
std::unordered_set<std::string> taken(core::Db& db, std::string_view column,
                                      const std::vector<std::string>& values) {
  std::unordered_set<std::string> out;
  for (std::size_t start = 0; start < values.size(); start += kLookupsPerStatement) {
    std::size_t n = std::min(kLookupsPerStatement, values.size() - start);
    std::string sql =
        "SELECT " + std::string(column) + " FROM users WHERE " + std::string(column) + " IN (?";
    for (std::size_t i = 1; i < n; ++i) sql += ", ?";
    sql += ") FOR UPDATE";
    std::unique_ptr<sql::PreparedStatement> ps(db.connection().prepareStatement(sql));
    for (std::size_t i = 0; i < n; ++i) {
      ps->setString(static_cast<unsigned>(i + 1), sql::SQLString(values[start + i]));
    }
    std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
    while (rs->next()) out.insert(std::string(rs->getString(1)));
  }
  return out;
}

// ---- roles ----

struct OurRole {
  std::int64_t id = 0;
  std::string name;
  bool is_default = false;
};

std::vector<OurRole> our_roles(core::Db& db) {
  std::vector<OurRole> out;
  auto rs = db.query("SELECT id, name, is_default FROM roles ORDER BY id");
  while (rs->next()) {
    out.push_back({rs->getInt64(1), std::string(rs->getString(2)), rs->getBoolean(3)});
  }
  return out;
}

// ---- users ----

// A hash a login could match: METHOD$SALT$HEX with a method
// security::verify_password knows.
bool verifiable_hash(std::string_view hash) {
  std::size_t first = hash.find('$');
  return first != std::string_view::npos && hash.find('$', first + 1) != std::string_view::npos &&
         security::valid_password_method(hash.substr(0, first));
}

bool storable_hash(std::string_view hash) {
  return hash.size() <= kPasswordHashBytes &&
         std::all_of(hash.begin(), hash.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

struct Candidate {
  const FlaskyUser* user;
  std::string email;  // lower-cased
  std::size_t role;   // index in the report's role mappings
};

class Importer {
 public:
  Importer(core::Db& db, const FlaskyData& data, FlaskyImportReport& report)
      : db_(db), data_(data), report_(report), now_(datetime_now()) {
    std::int64_t packet = scalar(db, "SELECT @@max_allowed_packet");
    // Room for the statement and the other columns of the row.
    max_row_bytes_ = static_cast<std::size_t>(std::max<std::int64_t>(packet, 1 << 20)) - 65536;
    batch_bytes_ = std::min(kMaxBatchBytes, max_row_bytes_ / 2);
  }

  void run() {
    map_roles();
    std::vector<Candidate> candidates = check_users();
    insert_users(candidates);
    insert_follows();
    insert_posts();
    insert_comments();
    std::sort(report_.skipped_users.begin(), report_.skipped_users.end(),
              [](const auto& a, const auto& b) { return a.flasky_id < b.flasky_id; });
  }

 private:
  void skip_user(const FlaskyUser& u, std::string reason) {
    report_.skipped_users.push_back(
        {u.id, u.username.value_or(""), u.email.value_or(""), std::move(reason)});
  }

  // A text column: NULL → '', repaired, cut to its column.
  std::string text(const std::optional<std::string>& value, std::size_t max_chars,
                   std::size_t max_bytes) {
    std::string s = value.value_or("");
    if (repair_utf8(s)) ++report_.repaired_texts;
    bool cut = truncate_chars(s, max_chars);
    cut = truncate_bytes(s, max_bytes) || cut;
    if (cut) ++report_.truncated_texts;
    return s;
  }

  // The timestamp, or fallback (counted) when missing or unreadable.
  std::string timestamp(const std::optional<std::string>& value, const std::string& fallback) {
    if (auto t = parse_timestamp(value)) return *t;
    ++report_.defaulted_timestamps;
    return fallback;
  }

  // Flasky roles by name to ours; the "(none)" mapping for users without a
  // known role is added when needed.
  void map_roles() {
    std::vector<OurRole> ours = our_roles(db_);
    auto fallback = std::find_if(ours.begin(), ours.end(), [](auto& r) { return r.is_default; });
    if (fallback == ours.end()) {
      throw std::runtime_error("our database has no default role: run `inkwell migrate` first");
    }
    default_role_ = *fallback;
    for (const FlaskyRole& fr : data_.roles) {
      std::string name = fr.name.value_or("");
      auto ours_it =
          std::find_if(ours.begin(), ours.end(), [&](auto& r) { return r.name == name; });
      bool defaulted = ours_it == ours.end();
      role_ids_.push_back(defaulted ? default_role_.id : ours_it->id);
      role_of_flasky_.emplace(fr.id, report_.roles.size());
      report_.roles.push_back({fr.name ? name : "(NULL)",
                               defaulted ? default_role_.name : ours_it->name, defaulted, 0});
    }
  }

  std::size_t role_mapping(const FlaskyUser& u) {
    if (u.role_id) {
      auto it = role_of_flasky_.find(*u.role_id);
      if (it != role_of_flasky_.end()) return it->second;
    }
    if (!no_role_) {
      no_role_ = report_.roles.size();
      role_ids_.push_back(default_role_.id);
      report_.roles.push_back({"(none)", default_role_.name, true, 0});
    }
    return *no_role_;
  }

  // Our rules first, then duplicates within the import, then what is taken
  // in our database.
  std::vector<Candidate> check_users() {
    std::vector<Candidate> candidates;
    std::unordered_set<std::string> emails, usernames;
    std::unordered_set<std::int64_t> ids;
    for (const FlaskyUser& u : data_.users) {
      std::string email = normalize_email(u.email.value_or(""));
      const std::string& username = u.username.value_or("");
      std::string repaired = email;
      if (!ids.insert(u.id).second) {
        skip_user(u, "the same id as an earlier user");
      } else if (repair_utf8(repaired) || !valid_email(email)) {
        skip_user(u, "invalid email address");
      } else if (!valid_username(username)) {
        skip_user(u, "username does not match ^[A-Za-z][A-Za-z0-9_.]*$ (at most 64 characters)");
      } else if (!emails.insert(email).second) {
        skip_user(u, "the same email (ignoring case) as an earlier user of the import");
      } else if (!usernames.insert(username).second) {
        skip_user(u, "the same username as an earlier user of the import");
      } else {
        candidates.push_back({&u, std::move(email), 0});
      }
    }

    // Locks the newest user, and with it the ids after it, for insert_users.
    user_base_ = scalar(db_, "SELECT id FROM users ORDER BY id DESC LIMIT 1 FOR UPDATE");
    std::vector<std::string> wanted_emails, wanted_usernames;
    for (const Candidate& c : candidates) {
      wanted_emails.push_back(c.email);
      wanted_usernames.push_back(*c.user->username);
    }
    auto taken_emails = taken(db_, "email", wanted_emails);
    auto taken_usernames = taken(db_, "username", wanted_usernames);
    std::vector<Candidate> kept;
    for (Candidate& c : candidates) {
      if (taken_emails.count(c.email)) {
        skip_user(*c.user, "email already registered here");
      } else if (taken_usernames.count(*c.user->username)) {
        skip_user(*c.user, "username already in use here");
      } else {
        c.role = role_mapping(*c.user);
        kept.push_back(std::move(c));
      }
    }
    return kept;
  }

  void insert_users(const std::vector<Candidate>& users) {
    BatchInsert batch(db_,
                      "INSERT INTO users (id, email, username, role_id, password_hash, confirmed, "
                      "name, location, about_me, member_since, last_seen, avatar_hash)",
                      12, "", batch_bytes_);
    std::int64_t next = user_base_;
    for (const Candidate& c : users) {
      const FlaskyUser& u = *c.user;
      std::string hash = u.password_hash.value_or("");
      if (!storable_hash(hash)) hash.clear();  // garbage: no login matches '' either
      if (!verifiable_hash(hash)) ++report_.unverifiable_passwords;
      std::string since = timestamp(u.member_since, now_);
      std::string seen = timestamp(u.last_seen, since);
      std::int64_t id = ++next;
      batch.row(id, c.email, *u.username, role_ids_[c.role], std::move(hash),
                std::int64_t{u.confirmed}, text(u.name, kProfileChars, kTextBytes),
                text(u.location, kProfileChars, kTextBytes),
                text(u.about_me, kTextBytes, kTextBytes), since, std::move(seen),
                avatar_hash_for(c.email));
      users_.emplace(u.id, Imported{id, std::move(since)});
      ++report_.roles[c.role].users;
    }
    batch.flush();
    report_.users = batch.rows();
  }

  // Every imported user follows themselves once (at the time of Flasky's
  // self-follow, else when they joined); other pairs need both users.
  void insert_follows() {
    std::unordered_map<std::int64_t, std::string> self_since;
    for (const FlaskyFollow& f : data_.follows) {
      if (f.follower_id && f.follower_id == f.followed_id) {
        if (auto t = parse_timestamp(f.timestamp)) self_since.emplace(*f.follower_id, *t);
      }
    }
    BatchInsert batch(db_, "INSERT INTO follows (follower_id, followed_id, timestamp)", 3, "",
                      batch_bytes_);
    std::vector<std::pair<std::int64_t, const Imported*>> in_id_order;
    for (const auto& [old_id, user] : users_) in_id_order.emplace_back(old_id, &user);
    std::sort(in_id_order.begin(), in_id_order.end(),
              [](auto& a, auto& b) { return a.second->id < b.second->id; });
    for (const auto& [old_id, user] : in_id_order) {
      auto t = self_since.find(old_id);
      batch.row(user->id, user->id, t != self_since.end() ? t->second : user->member_since);
    }
    batch.flush();
    report_.self_follows = batch.rows();

    std::set<std::pair<std::int64_t, std::int64_t>> pairs;
    for (const FlaskyFollow& f : data_.follows) {
      if (f.follower_id && f.follower_id == f.followed_id) continue;  // done above
      const Imported* follower = imported(f.follower_id);
      const Imported* followed = imported(f.followed_id);
      if (!follower || !followed) {
        ++report_.skipped_follows["user not imported"];
      } else if (!pairs.emplace(follower->id, followed->id).second) {
        ++report_.skipped_follows["duplicate"];
      } else {
        batch.row(follower->id, followed->id, timestamp(f.timestamp, now_));
      }
    }
    batch.flush();
    report_.follows = batch.rows() - report_.self_follows;
  }

  void insert_posts() {
    std::int64_t next = scalar(db_, "SELECT id FROM posts ORDER BY id DESC LIMIT 1 FOR UPDATE");
    BatchInsert batch(db_, "INSERT INTO posts (id, body, body_html, timestamp, author_id)", 5, "",
                      batch_bytes_);
    for (const FlaskyPost& p : data_.posts) {
      const Imported* author = imported(p.author_id);
      if (!author) {
        ++report_.skipped_posts["author not imported"];
        continue;
      }
      if (posts_.count(p.id)) {
        ++report_.skipped_posts["the same id as an earlier post"];
        continue;
      }
      std::string body = p.body.value_or("");
      if (body.size() > kMediumTextBytes) {  // not even worth rendering
        ++report_.skipped_posts["too long"];
        continue;
      }
      if (repair_utf8(body)) ++report_.repaired_texts;
      std::string html = core::markdown_to_html(body);
      if (body.size() > kMediumTextBytes || html.size() > kMediumTextBytes ||
          body.size() + html.size() > max_row_bytes_) {
        ++report_.skipped_posts["too long"];
        continue;
      }
      std::int64_t id = ++next;
      batch.row(id, std::move(body), std::move(html), timestamp(p.timestamp, now_), author->id);
      posts_.emplace(p.id, id);
    }
    batch.flush();
    report_.posts = batch.rows();
  }

  void insert_comments() {
    std::int64_t next = scalar(db_, "SELECT id FROM comments ORDER BY id DESC LIMIT 1 FOR UPDATE");
    BatchInsert batch(
        db_, "INSERT INTO comments (id, body, body_html, timestamp, disabled, author_id, post_id)",
        7, "", batch_bytes_);
    std::unordered_set<std::int64_t> ids;
    for (const FlaskyComment& c : data_.comments) {
      const Imported* author = imported(c.author_id);
      auto post = c.post_id ? posts_.find(*c.post_id) : posts_.end();
      if (!author) {
        ++report_.skipped_comments["author not imported"];
        continue;
      }
      if (post == posts_.end()) {
        ++report_.skipped_comments["post not imported"];
        continue;
      }
      if (!ids.insert(c.id).second) {
        ++report_.skipped_comments["the same id as an earlier comment"];
        continue;
      }
      std::string body = c.body.value_or("");
      if (body.size() > kTextBytes) {
        ++report_.skipped_comments["too long"];
        continue;
      }
      if (repair_utf8(body)) ++report_.repaired_texts;
      std::string html = core::markdown_to_html(body);
      if (body.size() > kTextBytes || html.size() > kTextBytes) {
        ++report_.skipped_comments["too long"];
        continue;
      }
      batch.row(++next, std::move(body), std::move(html), timestamp(c.timestamp, now_),
                std::int64_t{c.disabled}, author->id, post->second);
      report_.disabled_comments += c.disabled;
    }
    batch.flush();
    report_.comments = batch.rows();
  }

  struct Imported {
    std::int64_t id;           // ours
    std::string member_since;  // as inserted
  };
  const Imported* imported(const std::optional<std::int64_t>& flasky_id) const {
    if (!flasky_id) return nullptr;
    auto it = users_.find(*flasky_id);
    return it == users_.end() ? nullptr : &it->second;
  }

  core::Db& db_;
  const FlaskyData& data_;
  FlaskyImportReport& report_;
  const std::string now_;
  std::size_t max_row_bytes_ = 0, batch_bytes_ = 0;
  OurRole default_role_;
  std::unordered_map<std::int64_t, std::size_t> role_of_flasky_;  // Flasky role id → mapping
  std::vector<std::int64_t> role_ids_;                            // mapping → our role id
  std::optional<std::size_t> no_role_;
  std::int64_t user_base_ = 0;
  std::unordered_map<std::int64_t, Imported> users_;      // Flasky id → ours
  std::unordered_map<std::int64_t, std::int64_t> posts_;  // Flasky id → ours
};

}  // namespace

FlaskyImportReport import_flasky(core::Db& db, const FlaskyData& data, bool dry_run) {
  const auto start = std::chrono::steady_clock::now();
  FlaskyImportReport report;
  {
    core::Db::Transaction tx(db);
    Importer(db, data, report).run();
    recompute_counters(db);
    if (!dry_run) {
      tx.commit();
      report.committed = true;
    }
  }  // a dry run rolls back here
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace inkwell::models
