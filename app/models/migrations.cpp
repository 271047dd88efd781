#include "models/migrations.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace inkwell::models {
namespace {

constexpr int kNoSuchTable = 1146;  // ER_NO_SUCH_TABLE

// Holds a server-wide named lock so two migrators never interleave.
class MigrationLock {
 public:
  explicit MigrationLock(core::Db& db) : db_(db) {
    auto rs = db_.query("SELECT GET_LOCK('inkwell_migrate', 60)");
    if (!rs->next() || rs->getInt(1) != 1) {
      throw std::runtime_error("another migration is running (lock not acquired)");
    }
  }
  ~MigrationLock() {
    try {
      db_.query("SELECT RELEASE_LOCK('inkwell_migrate')");
    } catch (...) {
    }
  }

 private:
  core::Db& db_;
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
