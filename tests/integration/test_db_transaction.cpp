// Db::Transaction against the stack's database: a transaction that the
// server rolled back between two statements without a word (what a Galera
// brute-force abort during a prepare does) is refused as a write conflict,
// so the unit of work runs again whole, never with only its tail committed.
// The fault is injected on a single server too: a ROLLBACK behind the Db's
// back leaves the connection exactly as the abort does (no transaction,
// autocommit off, the next statement opens a new one).
#include <cppconn/statement.h>
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "auth_helpers.hpp"
#include "core/config.hpp"
#include "core/db.hpp"

using namespace itest;
using namespace itest::auth;
namespace core = inkwell::core;

namespace {

// A unit of work of two writes, each a statement of its own SQL text (the
// second one first prepared after the first write, as a fresh connection
// does). With fault, the transaction is rolled back under it in between.
void two_writes(core::Db& db, const std::string& first, const std::string& second, bool fault) {
  core::Db::Transaction tx(db);
  db.execute("INSERT INTO counters (name, value) VALUES (?, 1)", first);
  if (fault) {
    std::unique_ptr<sql::Statement>(db.connection().createStatement())->execute("ROLLBACK");
  }
  db.execute("INSERT INTO counters (value, name) VALUES (2, ?)", second);
  tx.commit();
}

long rows_named(const std::string& a, const std::string& b) {
  return sql_count("SELECT COUNT(*) FROM counters WHERE name IN (" + sql_quote(a) + ", " +
                   sql_quote(b) + ")");
}

long com_select(core::Db& db) {
  auto rs = db.query("SHOW SESSION STATUS LIKE 'Com_select'");
  return rs->next() ? std::stol(rs->getString(2)) : -1;
}

}  // namespace

TEST_CASE("db: a transaction rolled back under it between two writes is a write conflict") {
  const core::Config config = core::load_config_from_environment();
  core::Db db(config);
  const std::string a = unique("txa"), b = unique("txb");
  db.begin_unit();
  bool refused = false;
  try {
    two_writes(db, a, b, true);
  } catch (const sql::SQLException& e) {
    refused = true;
    CHECK(e.getErrorCode() == 1213);
    // The dispatcher runs it again, even a POST: nothing of it committed.
    CHECK(db.nothing_committed());
    CHECK(core::may_replay(e, 0, 3, false, db.nothing_committed()));
  }
  CHECK_MESSAGE(refused, "the tail of the rolled-back transaction was committed");
  CHECK_MESSAGE(rows_named(a, b) == 0, "half of the unit of work is stored");

  // Run again as the dispatcher does (the connection dropped first): whole.
  db.reset();
  db.begin_unit();
  two_writes(db, a, b, false);
  CHECK(sql_count("SELECT COUNT(*) FROM counters WHERE name = " + sql_quote(a) +
                  " AND value = 1") == 1);
  CHECK(sql_count("SELECT COUNT(*) FROM counters WHERE name = " + sql_quote(b) +
                  " AND value = 2") == 1);
  itest::auth::sql("DELETE FROM counters WHERE name IN (" + sql_quote(a) + ", " + sql_quote(b) +
                   ")");
}

TEST_CASE("db: the open-transaction check is made after a prepare only, not on a warm connection") {
  const core::Config config = core::load_config_from_environment();
  core::Db db(config);
  const std::string a = unique("txw"), b = unique("txw"), c = unique("txw"), d = unique("txw");
  (void)com_select(db);  // its own statement is prepared
  // Cold: the second statement is prepared after the first write: one check.
  long before = com_select(db);
  two_writes(db, a, b, false);
  CHECK(com_select(db) - before == 1);
  // Warm: both statements are prepared already: no round trip added.
  before = com_select(db);
  two_writes(db, c, d, false);
  CHECK(com_select(db) - before == 0);
  CHECK(rows_named(a, b) + rows_named(c, d) == 4);
  itest::auth::sql("DELETE FROM counters WHERE name IN (" + sql_quote(a) + ", " + sql_quote(b) +
                   ", " + sql_quote(c) + ", " + sql_quote(d) + ")");
}
