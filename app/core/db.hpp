// Db: the worker's one MySQL connection, opened lazily, with a cache of
// prepared statements (each SQL text is prepared once per connection),
// parameter binding, slow-query logging and RAII transactions. Every wait on
// the server is bounded by INKWELL_DB_TIMEOUT_MS (connect, read and write
// timeouts); a call that waited it out drops the connection and marks the
// database down in DbHealth, so that other calls fail fast meanwhile.
#pragma once

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "core/db_health.hpp"

namespace inkwell::core {

// The database cannot be reached: the request gets a 503 page.
struct DbUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Splits a SQL script into statements: each ends with ';' at the end of a
// line; blank lines and "--" comment lines are dropped. A line "DELIMITER
// x" between statements makes x the end instead, until the next such line,
// as the mariadb client reads it: a stored procedure's body keeps its ';'.
// Throws std::invalid_argument for a DELIMITER line without one.
std::vector<std::string> split_sql_script(std::string_view script);

// ER_UNKNOWN_COM_ERROR as Galera uses it: the node is not part of the
// primary component ("WSREP has not yet prepared node for application use").
inline constexpr int kWsrepNotReady = 1047;

// True for the client errors that mean the connection is gone (2006, 2013...),
// and for a Galera node that cannot serve (1047): another server may.
bool is_connection_lost(const sql::SQLException& e);
// True for the errors of a transaction that lost to a concurrent one and
// was rolled back whole: 1213 (a deadlock, or a Galera write-set conflict
// found at COMMIT or by a brute-force abort) and 1205 (lock wait timeout).
// Running the unit of work again is safe if nothing of it was committed.
inline bool is_write_conflict(const sql::SQLException& e) {
  return e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
}
// True when the unit of work that failed with e may run once more: a lost
// connection or a write conflict, on a read (GET, HEAD) or on a request that
// committed nothing and has no commit in doubt (the connection died while a
// COMMIT or an autocommit write was on its way). At most max_attempts in all.
bool may_replay(const sql::SQLException& e, int attempt, int max_attempts, bool safe_method,
                bool nothing_committed);

// True for ER_DUP_ENTRY: an insert or update ran into a unique key.
inline bool is_duplicate_key(const sql::SQLException& e) {
  constexpr int kDuplicateEntry = 1062;
  return e.getErrorCode() == kDuplicateEntry;
}

// Connects once, runs SELECT 1 and disconnects: "" when the database
// answers, else why not (for a log line at start).
std::string check_database(const Config& config);

class Db {
 public:
  // With shared_health (the pool's), every worker sees the database down
  // once one of them found it so, and a worker whose turn it is checks
  // whether it is back between requests (probe_if_due): no request waits
  // for that. Without, this Db keeps its own health, and its next use after
  // a short gap is the check.
  explicit Db(const Config& config, DbHealth* shared_health = nullptr);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs a query with bound parameters; the result set is fully usable.
  template <class... Args>
  std::unique_ptr<sql::ResultSet> query(std::string_view sql, const Args&... args) {
    return guarded([&] {
      sql::PreparedStatement& ps = prepare(sql);
      bind_all(ps, 1, args...);
      Timer t(*this, sql);
      if (transaction_depth_ > 0) transaction_ran_ = true;
      return std::unique_ptr<sql::ResultSet>(ps.executeQuery());
    });
  }

  // Runs a statement with bound parameters; returns the affected row count.
  template <class... Args>
  std::uint64_t execute(std::string_view sql, const Args&... args) {
    return guarded([&] {
      sql::PreparedStatement& ps = prepare(sql);
      bind_all(ps, 1, args...);
      Timer t(*this, sql);
      wrote_ = true;
      if (transaction_depth_ > 0) {
        transaction_ran_ = transaction_wrote_ = true;
        return static_cast<std::uint64_t>(ps.executeUpdate());
      }
      // Autocommit: once sent, the write may be applied unless an answer
      // says otherwise.
      std::uint64_t n = 0;
      in_doubt_ = true;
      try {
        n = static_cast<std::uint64_t>(ps.executeUpdate());
      } catch (const sql::SQLException& e) {
        if (!is_connection_lost(e)) in_doubt_ = false;
        throw;
      }
      in_doubt_ = false;
      committed_ = true;
      return n;
    });
  }

  // execute() for bookkeeping that no page shows (rate-limit counters): the
  // request is not marked as changing data, so cached pages stay valid.
  template <class... Args>
  std::uint64_t execute_unseen(std::string_view sql, const Args&... args) {
    const bool wrote = wrote_;
    const std::uint64_t n = execute(sql, args...);
    wrote_ = wrote;
    return n;
  }

  std::int64_t last_insert_id();

  // A unit of work begins: forgets what the previous one committed.
  // A connection on a fallback server of db_hosts is dropped after
  // kFallbackMs, so the next use tries the preferred ones again.
  void begin_unit();
  static constexpr std::int64_t kFallbackMs = 30000;
  // True while the unit of work committed nothing and no commit is in doubt:
  // it may run again after a failure without being applied twice.
  bool nothing_committed() const { return !committed_ && !in_doubt_; }
  // True inside a Transaction (begun on the server or not yet).
  bool in_transaction() const { return transaction_depth_ > 0; }
  // Galera (INKWELL_DB_SYNC_WAIT): waits until this node has applied every
  // write committed anywhere in the cluster before now, so that the reads
  // that follow see them (one statement with wsrep_sync_wait = 1).
  void sync_wait();
  // The server of db_hosts this connection went to ("" when not connected).
  const std::string& server() const { return server_; }

  // True when execute() ran since the last call (the request changed data).
  bool take_write_flag() { return std::exchange(wrote_, false); }

  // Runs a script of several statements (migrations), unprepared, one by one.
  void execute_script(std::string_view script);

  // Drops the connection and its statements; the next use reconnects.
  void reset();
  // The connection (connecting first if need be); inside a Transaction that
  // has not begun on the server yet, it begins it (START TRANSACTION: the
  // connection stays in autocommit mode, and COMMIT or ROLLBACK ends the
  // transaction without a round trip to set it back).
  sql::Connection& connection();

  DbHealth& health() { return *health_; }

  // With a shared health: if a request found the database down and it was
  // this worker's turn, connects and runs SELECT 1 now (bounded by the
  // timeout); success brings the database back for every worker.
  void probe_if_due();

  // Begins on construction; rolls back on destruction unless committed.
  // Nested inside another, it joins the outer one (which alone commits).
  class Transaction {
   public:
    explicit Transaction(Db& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

   private:
    Db& db_;
    bool nested_;
    bool done_ = false;
  };

 private:
  struct Timer {
    Timer(Db& db, std::string_view sql)
        : db(db), sql(sql), start(std::chrono::steady_clock::now()) {}
    ~Timer();
    Db& db;
    std::string_view sql;
    std::chrono::steady_clock::time_point start;
  };

  // The statement of this SQL text, prepared on first use (COM_STMT_PREPARE).
  // A statement first prepared inside a transaction that has run a
  // statement is followed by check_transaction_open(): see db.cpp for why.
  sql::PreparedStatement& prepare(std::string_view sql);
  // connection() without beginning a pending transaction.
  sql::Connection& open_connection();
  // Throws a write conflict (1213) if the server holds no transaction open
  // any more: it was rolled back under us and nobody said so.
  void check_transaction_open();
  // Runs a statement of no parameters and no result as a plain query
  // (transaction control: START TRANSACTION, COMMIT, ROLLBACK).
  void run_unprepared(const char* sql);

  // Runs one call to the server. Refused at once (DbUnavailable) while the
  // database is down and another worker is probing it. A call that lost its
  // connection after waiting out the timeout drops the connection, marks the
  // database down and becomes DbUnavailable: replaying it would only wait
  // again.
  template <class Call>
  auto guarded(Call&& call) {
    const std::int64_t start = DbHealth::now_ms();
    check_available(start);
    try {
      auto result = call();
      health_->succeeded();
      return result;
    } catch (const sql::SQLException& e) {
      fail_if_timed_out(e, start);
      throw;
    }
  }
  void fail_if_timed_out(const sql::SQLException& e, std::int64_t start_ms);
  // Throws DbUnavailable while the database is down, unless this call is
  // the check whether it is back.
  void check_available(std::int64_t now_ms);
  static constexpr const char* kDownMessage =
      "the database is down (another worker is checking whether it is back)";

  static void bind(sql::PreparedStatement& ps, unsigned i, std::int64_t v) { ps.setInt64(i, v); }
  static void bind(sql::PreparedStatement& ps, unsigned i, int v) { ps.setInt(i, v); }
  static void bind(sql::PreparedStatement& ps, unsigned i, unsigned v) { ps.setUInt(i, v); }
  static void bind(sql::PreparedStatement& ps, unsigned i, bool v) { ps.setBoolean(i, v); }
  static void bind(sql::PreparedStatement& ps, unsigned i, std::string_view v) {
    ps.setString(i, sql::SQLString(v.data(), v.size()));
  }
  static void bind(sql::PreparedStatement& ps, unsigned i, const std::string& v) {
    bind(ps, i, std::string_view(v));
  }
  static void bind(sql::PreparedStatement& ps, unsigned i, const char* v) {
    bind(ps, i, std::string_view(v));
  }
  static void bind(sql::PreparedStatement& ps, unsigned i, std::nullptr_t);
  template <class T>
  static void bind(sql::PreparedStatement& ps, unsigned i, const std::optional<T>& v) {
    if (v) {
      bind(ps, i, *v);
    } else {
      bind(ps, i, nullptr);
    }
  }
  // A list of ids fills as many consecutive parameters ("IN (?, ?, ?)").
  static void bind(sql::PreparedStatement& ps, unsigned i, const std::vector<std::int64_t>& v) {
    for (std::int64_t x : v) ps.setInt64(i++, x);
  }
  template <class T>
  static unsigned width(const T&) {
    return 1;
  }
  static unsigned width(const std::vector<std::int64_t>& v) {
    return static_cast<unsigned>(v.size());
  }
  static void bind_all(sql::PreparedStatement&, unsigned) {}
  template <class T, class... Rest>
  static void bind_all(sql::PreparedStatement& ps, unsigned i, const T& v, const Rest&... rest) {
    bind(ps, i, v);
    bind_all(ps, i + width(v), rest...);
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  const Config& config_;
  const int pid_;  // this process, as DbHealth knows it
  DbHealth own_health_;
  DbHealth* health_;
  const bool probe_between_requests_;  // with a shared health
  bool probe_due_ = false;
  bool probing_ = false;
  int transaction_depth_ = 0;
  bool wrote_ = false;
  bool begin_pending_ = false;      // a Transaction was opened; its first statement begins it
  bool transaction_ran_ = false;    // the open transaction ran a statement
  bool transaction_wrote_ = false;  // the open transaction ran execute()
  bool committed_ = false;          // this unit of work committed a write
  bool in_doubt_ = false;           // a commit failed without an answer
  std::string server_;
  std::size_t last_server_index_ = 0;
  std::int64_t connected_at_ms_ = 0;
  std::unique_ptr<sql::Connection> conn_;
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>, Hash, std::equal_to<>>
      statements_;
};

}  // namespace inkwell::core
