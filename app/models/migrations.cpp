#include "models/migrations.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace inkwell::models {
namespace {

constexpr int kNoSuchTable = 1146;  // ER_NO_SUCH_TABLE

// Holds the migration lock: the one row of schema_migrations_lock. Unlike
// GET_LOCK, a row is replicated by Galera: two migrators that start together
// on different nodes both insert it and one of them loses (a duplicate key,
// or a write-set conflict at commit); the loser waits until the row is gone.
// A row older than kStaleSeconds is a migrator that died: taken over.
class MigrationLock {
 public:
  static constexpr int kWaitSeconds = 120;
  static constexpr int kStaleSeconds = 600;

  explicit MigrationLock(core::Db& db) : db_(db), holder_(make_holder()) {
    db_.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations_lock ("
        " id TINYINT UNSIGNED NOT NULL PRIMARY KEY,"
        " holder VARCHAR(255) NOT NULL,"
        " taken_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kWaitSeconds);
    for (;;) {
      try {
        db_.execute("INSERT INTO schema_migrations_lock (id, holder) VALUES (1, ?)", holder_);
        return;
      } catch (const sql::SQLException& e) {
        if (!core::is_duplicate_key(e) && !core::is_write_conflict(e)) throw;
      }
      db_.execute(
          "DELETE FROM schema_migrations_lock WHERE id = 1"
          " AND taken_at < NOW(6) - INTERVAL ? SECOND",
          kStaleSeconds);
      if (std::chrono::steady_clock::now() >= deadline) {
        throw std::runtime_error("another migration is running (lock not acquired in " +
                                 std::to_string(kWaitSeconds) + " s)");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  ~MigrationLock() {
    try {
      db_.execute("DELETE FROM schema_migrations_lock WHERE id = 1 AND holder = ?", holder_);
    } catch (...) {
    }
  }

 private:
  static std::string make_holder() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return std::string(host) + " pid " + std::to_string(getpid());
  }
  core::Db& db_;
  std::string holder_;
};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::filesystem::path> sql_files(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("migrations directory not found: " + dir);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".sql") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<std::string> migration_files(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& f : sql_files(dir)) names.push_back(f.filename().string());
  return names;
}

std::vector<std::string> pending_migrations(core::Db& db, const std::vector<std::string>& known) {
  std::set<std::string> done;
  try {
    auto rs = db.query("SELECT name FROM schema_migrations");
    while (rs->next()) done.insert(rs->getString(1));
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != kNoSuchTable) throw;
  }
  std::vector<std::string> pending;
  for (const std::string& name : known) {
    if (!done.count(name)) pending.push_back(name);
  }
  return pending;
}

std::vector<std::string> apply_migrations(core::Db& db, const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files = sql_files(dir);

  db.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " name VARCHAR(255) NOT NULL PRIMARY KEY,"
      " applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  MigrationLock lock(db);
  std::set<std::string> done;
  auto rs = db.query("SELECT name FROM schema_migrations");
  while (rs->next()) done.insert(rs->getString(1));

  std::vector<std::string> applied;
  for (const fs::path& f : files) {
    std::string name = f.filename().string();
    if (done.count(name)) continue;
    try {
      db.execute_script(read_file(f));
    } catch (const sql::SQLException& e) {
      throw std::runtime_error("migration " + name + " failed: " + e.what());
    }
    db.execute("INSERT INTO schema_migrations (name) VALUES (?)", name);
    applied.push_back(name);
  }
  return applied;
}

}  // namespace inkwell::models
