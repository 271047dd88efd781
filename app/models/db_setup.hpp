// The database and its two accounts, created by an administrator
// (`inkwell setup-db`): the application's account may read and change rows
// and call the migrations' procedures only (SELECT, INSERT, UPDATE, DELETE,
// EXECUTE; GET_LOCK needs no privilege), the migration account may also
// change the schema. Account statements cannot
// take bound parameters, so every name, host and password is checked against
// a strict character set before it is quoted into one.
#pragma once

#include <string>
#include <vector>

#include "core/db.hpp"

namespace inkwell::models {

struct DbAccount {
  std::string user;
  std::string host;  // 'localhost' for unix-socket clients
  std::string password;
};

// The statements that create (or bring back to the wanted state) the
// database and both accounts: running them again changes nothing but the
// passwords, and takes away any privilege granted to the accounts beyond
// these. Throws std::invalid_argument on a name, host or password outside
// the allowed characters, or when both accounts are the same.
std::vector<std::string> db_setup_statements(const std::string& db_name, const DbAccount& app,
                                             const DbAccount& migrator);

// Runs them on a connection of an administrator (one that may create users
// and grant), in order.
void setup_database(core::Db& admin, const std::string& db_name, const DbAccount& app,
                    const DbAccount& migrator);

// The privileges an account holds on db_name (SHOW GRANTS, database level),
// e.g. {"DELETE", "EXECUTE", "INSERT", "SELECT", "UPDATE"}, sorted.
std::vector<std::string> database_privileges(core::Db& admin, const std::string& db_name,
                                             const DbAccount& account);

}  // namespace inkwell::models
