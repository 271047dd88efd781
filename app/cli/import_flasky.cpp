// inkwell import-flasky: imports a Flasky database (its SQLite file, e.g.
// data-dev.sqlite) into ours in one transaction, or with --dry-run checks
// everything and rolls back. What is kept, changed and skipped is described
// in models/flasky_import.hpp; this file reads the SQLite file (read-only,
// one snapshot) and prints the report.
//
// Exit status: 0 done, 2 nothing done because of the arguments or the file
// (missing, unreadable, not a Flasky database), 1 our database refused
// (nothing changed).
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/flasky_import.hpp"
#include "core/http.hpp"

namespace inkwell::cli {
namespace {

// The file cannot be imported: exit status 2.
struct SourceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// ---- libsqlite3, read-only ----

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// One row of a result: NULL is nullopt, and so is an id that is not an
// integer.
class Row {
 public:
  explicit Row(sqlite3_stmt* st) : st_(st) {}
  std::optional<std::string> text(int i) const {
    if (sqlite3_column_type(st_, i) == SQLITE_NULL) return std::nullopt;
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, i));
    if (p == nullptr) throw std::bad_alloc();
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, i)));
  }
  std::optional<std::int64_t> integer(int i) const {
    if (sqlite3_column_type(st_, i) != SQLITE_INTEGER) return std::nullopt;
    return sqlite3_column_int64(st_, i);
  }
  // SQLAlchemy stores booleans as 0/1; NULL is false.
  bool flag(int i) const {
    switch (sqlite3_column_type(st_, i)) {
      case SQLITE_INTEGER:
        return sqlite3_column_int64(st_, i) != 0;
      case SQLITE_FLOAT:
        return sqlite3_column_double(st_, i) != 0;
      case SQLITE_TEXT: {
        std::string v = lower(*text(i));
        return v == "1" || v == "t" || v == "true" || v == "y" || v == "yes";
      }
      default:
        return false;
    }
  }

 private:
  sqlite3_stmt* st_;
};

class SqliteFile {
 public:
  explicit SqliteFile(const std::string& path) : path_(path) {
    if (path.empty()) throw SourceError("--sqlite: no file given");
    struct stat st {};
    if (stat(path.c_str(), &st) != 0 || access(path.c_str(), R_OK) != 0) {
      throw SourceError("cannot read " + path + ": " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) throw SourceError("cannot read " + path + ": not a file");
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    db_.reset(raw);  // closed even when the open failed
    if (rc != SQLITE_OK) {
      throw SourceError("cannot open " + path + ": " +
                        (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    sqlite3_busy_timeout(db_.get(), 5000);
    // Every read below sees one snapshot, even if a Flasky still writes.
    each("BEGIN", [](const Row&) {});
  }

  // Runs sql and calls f for every row.
  template <class F>
  void each(const std::string& sql, F f) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr);
    Statement st(raw);
    if (rc != SQLITE_OK) fail();
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) f(Row(st.get()));
    if (rc != SQLITE_DONE) fail();
  }

  // The table's column names, lower-cased; empty when there is no such table.
  std::set<std::string> columns(const std::string& table) {
    std::set<std::string> out;
    each("PRAGMA table_info(\"" + table + "\")",
         [&](const Row& r) { out.insert(lower(r.text(1).value_or(""))); });
    return out;
  }

 private:
  [[noreturn]] void fail() {
    throw SourceError("cannot read " + path_ + ": " + sqlite3_errmsg(db_.get()));
  }

  std::string path_;
  std::unique_ptr<sqlite3, CloseDb> db_;
};

// ---- Flasky's tables ----
//
// The book's final schema; older chapters lack some tables and columns. A
// missing optional column reads as its fallback (noted in the report); a
// missing required one means this is no Flasky database we can import.

struct Column {
  const char* name;
  const char* fallback = nullptr;  // SQL for a missing column; nullptr: required
  const char* meaning = "";        // what the fallback means, for the note
};

struct Table {
  std::string select;  // SELECT ... FROM ..., "" when the table is missing
  std::vector<std::string> notes;
};

Table table(SqliteFile& file, const std::string& name, const std::vector<Column>& columns,
            const std::string& order_by) {
  Table t;
  std::set<std::string> present = file.columns(name);
  if (present.empty()) return t;
  t.select = "SELECT ";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const Column& c = columns[i];
    if (i > 0) t.select += ", ";
    if (present.count(c.name)) {
      t.select += "\"" + std::string(c.name) + "\"";
    } else if (c.fallback == nullptr) {
      throw SourceError("not a Flasky database we can import: table " + name + " has no " + c.name +
                        " column");
    } else {
      t.select += c.fallback;
      t.notes.push_back(name + " has no " + c.name + " column (an older Flasky): " + c.meaning);
    }
  }
  t.select += " FROM \"" + name + "\" ORDER BY " + order_by;
  return t;
}

struct Source {
  models::FlaskyData data;
  std::vector<std::string> notes;
  long unusable_rows = 0;  // without an integer id
};

Source read_flasky(SqliteFile& file) {
  Source s;
  auto missing = [&](const char* what) {
    s.notes.push_back(std::string("no ") + what + " table: nothing of that to import");
  };
  auto notes = [&](const Table& t) {
    s.notes.insert(s.notes.end(), t.notes.begin(), t.notes.end());
  };

  Table users = table(file, "users",
                      {{"id"},
                       {"email"},
                       {"username"},
                       {"role_id", "NULL", "everyone gets the default role"},
                       {"password_hash", "NULL", "everyone must reset their password"},
                       {"confirmed", "1", "everyone is taken as confirmed"},
                       {"name", "NULL", "left empty"},
                       {"location", "NULL", "left empty"},
                       {"about_me", "NULL", "left empty"},
                       {"member_since", "NULL", "the time of the import"},
                       {"last_seen", "NULL", "member_since"}},
                      "\"id\"");
  if (users.select.empty()) throw SourceError("not a Flasky database: it has no users table");
  notes(users);
  file.each(users.select, [&](const Row& r) {
    auto id = r.integer(0);
    if (!id) return void(++s.unusable_rows);
    s.data.users.push_back({*id, r.text(1), r.text(2), r.text(4), r.integer(3), r.flag(5),
                            r.text(6), r.text(7), r.text(8), r.text(9), r.text(10)});
  });

  Table roles = table(file, "roles", {{"id"}, {"name"}}, "\"id\"");
  if (roles.select.empty()) missing("roles");
  if (!roles.select.empty()) {
    file.each(roles.select, [&](const Row& r) {
      auto id = r.integer(0);
      if (!id) return void(++s.unusable_rows);
      s.data.roles.push_back({*id, r.text(1)});
    });
  }

  Table posts = table(
      file, "posts",
      {{"id"}, {"body"}, {"timestamp", "NULL", "the time of the import"}, {"author_id"}}, "\"id\"");
  if (posts.select.empty()) missing("posts");
  notes(posts);
  if (!posts.select.empty()) {
    file.each(posts.select, [&](const Row& r) {
      auto id = r.integer(0);
      if (!id) return void(++s.unusable_rows);
      s.data.posts.push_back({*id, r.text(1), r.text(2), r.integer(3)});
    });
  }

  Table follows =
      table(file, "follows",
            {{"follower_id"}, {"followed_id"}, {"timestamp", "NULL", "the time of the import"}},
            "\"follower_id\", \"followed_id\"");
  if (follows.select.empty()) missing("follows");
  notes(follows);
  if (!follows.select.empty()) {
    file.each(follows.select, [&](const Row& r) {
      s.data.follows.push_back({r.integer(0), r.integer(1), r.text(2)});
    });
  }

  Table comments = table(file, "comments",
                         {{"id"},
                          {"body"},
                          {"timestamp", "NULL", "the time of the import"},
                          {"disabled", "0", "no comment is disabled"},
                          {"author_id"},
                          {"post_id"}},
                         "\"id\"");
  if (comments.select.empty()) missing("comments");
  notes(comments);
  if (!comments.select.empty()) {
    file.each(comments.select, [&](const Row& r) {
      auto id = r.integer(0);
      if (!id) return void(++s.unusable_rows);
      s.data.comments.push_back({*id, r.text(1), r.text(2), r.flag(3), r.integer(4), r.integer(5)});
    });
  }
  return s;
}

// ---- the report ----

// Text from the file, safe to print on a terminal: at most 60 characters,
// control characters and invalid UTF-8 as \xNN.
std::string shown(const std::string& s) {
  bool utf8 = http::valid_utf8(s);
  std::string out;
  std::size_t chars = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80 && ++chars > 60) return out + "...";
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string plural(long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string skipped(const std::map<std::string, long>& reasons) {
  long total = 0;
  std::string why;
  for (const auto& [reason, n] : reasons) {
    total += n;
    why += (why.empty() ? "" : ", ") + reason + ": " + std::to_string(n);
  }
  return std::to_string(total) + " skipped" + (why.empty() ? "" : " (" + why + ")");
}

void print_report(const models::FlaskyImportReport& r) {
  std::cout << "roles (Flasky -> ours):\n";
  for (const auto& m : r.roles) {
    std::cout << "  " << shown(m.flasky_role) << " -> " << m.our_role
              << (m.defaulted ? " (no such role here: the default role)" : "") << ": "
              << plural(m.users, "user", "users") << '\n';
  }
  std::cout << "users: " << r.users << " imported, " << r.skipped_users.size() << " skipped\n";
  for (const auto& u : r.skipped_users) {
    std::cout << "  skipped Flasky user " << u.flasky_id << " '" << shown(u.username) << "' <"
              << shown(u.email) << ">: " << u.reason << '\n';
  }
  std::cout << "posts: " << r.posts << " imported, " << skipped(r.skipped_posts) << '\n';
  std::cout << "follows: " << r.follows << " imported besides "
            << plural(r.self_follows, "self-follow", "self-follows") << ", "
            << skipped(r.skipped_follows) << '\n';
  std::cout << "comments: " << r.comments << " imported (" << r.disabled_comments << " disabled), "
            << skipped(r.skipped_comments) << '\n';
  if (r.unverifiable_passwords > 0) {
    std::cout << "passwords: " << plural(r.unverifiable_passwords, "user has", "users have")
              << " no password hash we can verify: they must reset their password\n";
  }
  if (r.repaired_texts + r.truncated_texts + r.defaulted_timestamps > 0) {
    std::cout << "repaired: " << plural(r.repaired_texts, "text", "texts")
              << " with invalid UTF-8 or NUL bytes, " << plural(r.truncated_texts, "text", "texts")
              << " cut to fit, "
              << plural(r.defaulted_timestamps, "missing or unreadable timestamp",
                        "missing or unreadable timestamps")
              << '\n';
  }
}

}  // namespace

int import_flasky(core::Db& db, const core::Config&, const Args& args) {
  args.expect({"--sqlite"}, {"--dry-run"});
  const std::string path = args.value("--sqlite");
  const bool dry_run = args.flag("--dry-run");

  const auto start = std::chrono::steady_clock::now();
  Source source;
  try {
    SqliteFile file(path);
    source = read_flasky(file);
  } catch (const SourceError& e) {
    std::cerr << "inkwell: import-flasky: " << e.what() << '\n';
    return 2;
  }
  const models::FlaskyData& d = source.data;
  std::printf(
      "import-flasky: read %s in %.2f s: %zu roles, %zu users, %zu posts, %zu follows, "
      "%zu comments\n",
      shown(path).c_str(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
      d.roles.size(), d.users.size(), d.posts.size(), d.follows.size(), d.comments.size());
  for (const std::string& note : source.notes) std::cout << "note: " << note << '\n';
  if (source.unusable_rows > 0) {
    std::cout << "note: " << plural(source.unusable_rows, "row", "rows")
              << " without an integer id left out\n";
  }
  std::cout << std::flush;

  models::FlaskyImportReport report;
  try {
    report = models::import_flasky(db, d, dry_run);
  } catch (const sql::SQLException& e) {
    std::cerr << "inkwell: import-flasky: the database refused the import, nothing was changed: "
              << e.what() << " (error " << e.getErrorCode() << ")\n";
    return 1;
  }
  print_report(report);
  std::printf(report.committed ? "counters recomputed; committed in %.2f s\n"
                               : "dry run: everything checked, then rolled back in %.2f s; "
                                 "nothing was changed\n",
              report.seconds);
  return 0;
}

}  // namespace inkwell::cli
