#include "models/db_setup.hpp"

#include <algorithm>
#include <stdexcept>

namespace inkwell::models {
namespace {

bool all_of(const std::string& s, bool (*ok)(char)) {
  return std::all_of(s.begin(), s.end(), ok);
}
bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool host_char(char c) {
  return name_char(c) || c == '.' || c == '-' || c == '%' || c == ':';
}
// Printable ASCII except the quote and the backslash (the only characters
// that would need escaping inside a single-quoted SQL string).
bool password_char(char c) {
  return c >= 0x20 && c <= 0x7e && c != '\'' && c != '\\';
}

void check(const std::string& what, const std::string& value, std::size_t max, bool (*ok)(char)) {
  if (value.empty() || value.size() > max || !all_of(value, ok)) {
    throw std::invalid_argument(what + " '" + (ok == password_char ? "***" : value) +
                                "' is not allowed (1 to " + std::to_string(max) +
                                " characters from a restricted set)");
  }
}

void check_account(const std::string& what, const DbAccount& a) {
  check(what + " user", a.user, 80, name_char);
  check(what + " host", a.host, 255, host_char);
  check(what + " password", a.password, 128, password_char);
}

std::string account(const DbAccount& a) {
  return "'" + a.user + "'@'" + a.host + "'";
}

void add_account(std::vector<std::string>& out, const std::string& db_name, const DbAccount& a,
                 const std::string& privileges) {
  const std::string who = account(a);
  const std::string pass = "'" + a.password + "'";
  out.push_back("CREATE USER IF NOT EXISTS " + who + " IDENTIFIED BY " + pass);
  out.push_back("ALTER USER " + who + " IDENTIFIED BY " + pass);
  // From a clean slate: an account of an older install may hold ALL.
  out.push_back("REVOKE ALL PRIVILEGES, GRANT OPTION FROM " + who);
  out.push_back("GRANT " + privileges + " ON `" + db_name + "`.* TO " + who);
}

}  // namespace

std::vector<std::string> db_setup_statements(const std::string& db_name, const DbAccount& app,
                                             const DbAccount& migrator) {
  check("database name", db_name, 64, name_char);
  check_account("application", app);
  check_account("migration", migrator);
  if (app.user == migrator.user && app.host == migrator.host) {
    throw std::invalid_argument("the application and migration accounts must differ");
  }
  std::vector<std::string> out;
  out.push_back("CREATE DATABASE IF NOT EXISTS `" + db_name +
                "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
  add_account(out, db_name, app, "SELECT, INSERT, UPDATE, DELETE, EXECUTE");
  add_account(out, db_name, migrator, "ALL PRIVILEGES");
  return out;
}

void setup_database(core::Db& admin, const std::string& db_name, const DbAccount& app,
                    const DbAccount& migrator) {
  std::string script;
  for (const std::string& s : db_setup_statements(db_name, app, migrator)) script += s + ";\n";
  admin.execute_script(script);
}

std::vector<std::string> database_privileges(core::Db& admin, const std::string& db_name,
                                             const DbAccount& account) {
  check("database name", db_name, 64, name_char);
  check("user", account.user, 80, name_char);
  check("host", account.host, 255, host_char);
  // SHOW GRANTS cannot be prepared with parameters; the schema tables can.
  auto rs = admin.query(
      "SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES "
      "WHERE GRANTEE = ? AND TABLE_SCHEMA = ? ORDER BY PRIVILEGE_TYPE",
      "'" + account.user + "'@'" + account.host + "'", db_name);
  std::vector<std::string> out;
  while (rs->next()) out.push_back(rs->getString(1));
  return out;
}

}  // namespace inkwell::models
