// inkwell setup-db: creates the database and its two accounts from an
// administrator's credentials (models/db_setup). The application's account
// (INKWELL_DB_USER) gets row rights only; the migration account
// (--migration-user, default "<INKWELL_DB_USER>_migrate") gets the schema
// too. Running it again changes nothing but passwords it was not given.
//
// Passwords: the application's is INKWELL_DB_PASSWORD when set; the
// migration account's is INKWELL_DB_MIGRATION_PASSWORD, else the one in the
// --write-migration-env file; a missing one is generated. --write-env FILE
// stores the application's in FILE (INKWELL_DB_PASSWORD=, the other lines
// kept), --write-migration-env FILE writes the migration account as
// INKWELL_DB_USER/INKWELL_DB_PASSWORD lines (mode 0600) for `inkwell
// migrate` to read after the main file; a generated password that is
// written nowhere is printed.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "cli/commands.hpp"
#include "core/security.hpp"
#include "models/db_setup.hpp"

namespace inkwell::cli {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The value of KEY=VALUE in an environment file (systemd's EnvironmentFile
// format, without quotes), if the key is there.
std::optional<std::string> env_file_value(const std::string& path, const std::string& key) {
  for (const std::string& line : read_lines(path)) {
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  }
  return std::nullopt;
}

// Sets each KEY=VALUE in the file: a line of that key is replaced, a missing
// key appended. Written aside and renamed; the file keeps its mode and
// owner (a new file gets `mode`).
void write_env_file(const std::string& path,
                    const std::vector<std::pair<std::string, std::string>>& values, mode_t mode) {
  std::vector<std::string> lines = read_lines(path);
  for (const auto& [key, value] : values) {
    bool found = false;
    for (std::string& line : lines) {
      if (line.rfind(key + "=", 0) == 0) {
        line = key + "=" + value;
        found = true;
      }
    }
    if (!found) lines.push_back(key + "=" + value);
  }
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  const std::string tmp = path + ".setup-db.tmp";
  {
    const mode_t old = ::umask(077);
    std::ofstream out(tmp, std::ios::trunc);
    ::umask(old);
    if (!out) throw std::runtime_error("cannot write " + tmp);
    for (const std::string& line : lines) out << line << '\n';
    out.close();
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  // Only root may give the file to another owner (root:inkwell for the
  // main file); anyone else keeps their own file.
  const bool owner_kept =
      !exists || ::chown(tmp.c_str(), st.st_uid, st.st_gid) == 0 || ::geteuid() != 0;
  if (::chmod(tmp.c_str(), exists ? (st.st_mode & 07777) : mode) != 0 || !owner_kept ||
      std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot replace " + path);
  }
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

}  // namespace

int setup_db(core::Db&, const core::Config& config, const Args& args) {
  args.expect({"--admin-user", "--admin-socket", "--admin-host", "--admin-port", "--migration-user",
               "--account-host", "--write-env", "--write-migration-env"});
  const std::string env_file = args.value_or("--write-env", "");
  const std::string migration_env_file = args.value_or("--write-migration-env", "");

  // The administrator: socket authentication as root by default (Debian's
  // MariaDB), a password only from the environment (never argv, which
  // every local user can read).
  core::Config admin_config = config;
  admin_config.db_user = args.value_or("--admin-user", "root");
  admin_config.db_password = env_or("INKWELL_DB_ADMIN_PASSWORD", "");
  admin_config.db_socket = args.value_or("--admin-socket", config.db_socket);
  admin_config.db_host = args.value_or("--admin-host", config.db_host);
  admin_config.db_port = static_cast<int>(args.number("--admin-port", config.db_port, 1, 65535));
  admin_config.db_name = "mysql";

  // Socket clients are 'localhost' to MariaDB; TCP ones their address.
  const std::string account_host =
      args.value_or("--account-host", config.db_socket.empty() ? config.db_host : "localhost");

  bool app_generated = false, migration_generated = false;
  models::DbAccount app{config.db_user, account_host, config.db_password};
  if (app.password.empty()) {
    app.password = security::random_token(24);
    app_generated = true;
  }
  models::DbAccount migrator{args.value_or("--migration-user", config.db_user + "_migrate"),
                             account_host, env_or("INKWELL_DB_MIGRATION_PASSWORD", "")};
  if (migrator.password.empty() && !migration_env_file.empty()) {
    migrator.password = env_file_value(migration_env_file, "INKWELL_DB_PASSWORD").value_or("");
  }
  if (migrator.password.empty()) {
    migrator.password = security::random_token(24);
    migration_generated = true;
  }

  core::Db admin(admin_config);
  models::setup_database(admin, config.db_name, app, migrator);

  if (!env_file.empty()) {
    write_env_file(env_file, {{"INKWELL_DB_PASSWORD", app.password}}, 0640);
    std::cout << "wrote the application's password to " << env_file << '\n';
  } else if (app_generated) {
    std::cout << "INKWELL_DB_PASSWORD=" << app.password << '\n';
  }
  if (!migration_env_file.empty()) {
    write_env_file(migration_env_file,
                   {{"INKWELL_DB_USER", migrator.user}, {"INKWELL_DB_PASSWORD", migrator.password}},
                   0600);
    std::cout << "wrote the migration account to " << migration_env_file << '\n';
  } else if (migration_generated) {
    std::cout << "migration account: INKWELL_DB_USER=" << migrator.user
              << " INKWELL_DB_PASSWORD=" << migrator.password << '\n';
  }
  std::cout << "database " << config.db_name << " ready\n"
            << "  " << app.user << "@" << app.host << ": "
            << join(models::database_privileges(admin, config.db_name, app)) << '\n'
            << "  " << migrator.user << "@" << migrator.host << ": "
            << join(models::database_privileges(admin, config.db_name, migrator)) << '\n';
  return 0;
}

}  // namespace inkwell::cli
