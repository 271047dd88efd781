#include "core/db.hpp"

#include <cppconn/driver.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "core/log.hpp"
#include "core/metrics.hpp"

namespace inkwell::core {
namespace {

// True when a call that failed after elapsed_ms had waited out the
// connector's (whole-second) timeout, rather than meeting a closed
// connection or a refusal.
bool waited_out_timeout(const Config& config, std::int64_t elapsed_ms) {
  return elapsed_ms >= config.db_timeout_seconds() * 900;
}

}  // namespace

bool is_connection_lost(const sql::SQLException& e) {
  switch (e.getErrorCode()) {
    case 2002:  // can't connect through socket
    case 2003:  // can't connect to server
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2055:  // lost connection at ...
    case 4031:  // disconnected by the server because of inactivity
      return true;
    case kWsrepNotReady:  // a Galera node outside the primary component
      return true;
    default:
      return false;
  }
}

bool may_replay(const sql::SQLException& e, int attempt, int max_attempts, bool safe_method,
                bool nothing_committed) {
  if (attempt + 1 >= max_attempts) return false;
  if (is_connection_lost(e)) {
    if (attempt > 0) return false;  // reconnected once already: it is down
  } else if (!is_write_conflict(e)) {
    return false;
  }
  return safe_method || nothing_committed;
}

std::string check_database(const Config& config) {
  try {
    Db db(config);
    db.query("SELECT 1");
    return "";
  } catch (const DbUnavailable& e) {
    return e.what();
  } catch (const sql::SQLException& e) {
    return std::string(e.what()) + " (error " + std::to_string(e.getErrorCode()) + ")";
  }
}

Db::Db(const Config& config, DbHealth* shared_health)
    : config_(config),
      pid_(static_cast<int>(getpid())),
      own_health_(config.db_timeout_seconds() * 1000 + 1000),
      health_(shared_health ? shared_health : &own_health_),
      probe_between_requests_(shared_health != nullptr) {}

void Db::check_available(std::int64_t now_ms) {
  if (probing_ || !health_->down()) return;
  if (health_->may_try(now_ms, pid_)) {
    // This call is the check whether the database is back, unless it hung
    // the last time: then it is made between requests, so no client waits.
    if (!probe_between_requests_ || !health_->last_failure_slow()) return;
    probe_due_ = true;
  }
  throw DbUnavailable(kDownMessage);
}

void Db::probe_if_due() {
  if (!probe_due_) return;
  probe_due_ = false;
  probing_ = true;
  try {
    reset();  // a fresh connection: an old one may hang on a dead server
    query("SELECT 1");
  } catch (const std::exception&) {
    // connection() and guarded() recorded the failure in the health.
  }
  probing_ = false;
}

Db::~Db() {
  statements_.clear();
  conn_.reset();
}

sql::Connection& Db::connection() {
  sql::Connection& c = open_connection();
  if (begin_pending_) {
    // The transaction begins with its first statement: one that runs none
    // (a login with nothing to clear) costs no round trip at all.
    begin_pending_ = false;
    run_unprepared("START TRANSACTION");
  }
  return c;
}

sql::Connection& Db::open_connection() {
  if (conn_) return *conn_;
  const std::int64_t start = DbHealth::now_ms();
  check_available(start);
  // Without INKWELL_DB_HOSTS: the one server of db_socket or db_host.
  std::vector<std::string> servers = config_.db_hosts;
  if (servers.empty()) {
    servers.push_back(!config_.db_socket.empty()
                          ? config_.db_socket
                          : config_.db_host + ":" + std::to_string(config_.db_port));
  }
  // The connector takes whole seconds: timeouts are rounded up. With several
  // servers, a connect waits db_connect_timeout_ms before the next is tried.
  const int timeout_s = config_.db_timeout_seconds();
  const int connect_s = servers.size() > 1
                            ? std::min(timeout_s, (config_.db_connect_timeout_ms + 999) / 1000)
                            : timeout_s;
  std::string errors;
  for (std::size_t i = 0; i < servers.size(); ++i) {
    const std::string& server = servers[i];
    sql::ConnectOptionsMap opts;
    if (!server.empty() && server.front() == '/') {
      opts["hostName"] = sql::SQLString("localhost");
      opts["socket"] = sql::SQLString(server);
    } else {
      std::size_t colon = server.rfind(':');
      opts["hostName"] = sql::SQLString(server.substr(0, colon));
      opts["port"] = colon == std::string::npos ? 3306 : std::stoi(server.substr(colon + 1));
    }
    opts["userName"] = sql::SQLString(config_.db_user);
    opts["password"] = sql::SQLString(config_.db_password);
    opts["schema"] = sql::SQLString(config_.db_name);
    opts["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    opts["OPT_CONNECT_TIMEOUT"] = connect_s;
    opts["OPT_READ_TIMEOUT"] = timeout_s;
    opts["OPT_WRITE_TIMEOUT"] = timeout_s;
    opts["OPT_RECONNECT"] = false;
    try {
      conn_.reset(sql::mysql::get_mysql_driver_instance()->connect(opts));
      std::unique_ptr<sql::Statement> st(conn_->createStatement());
      st->execute("SET time_zone = '+00:00'");
      // A Galera node cut off from the primary component accepts the
      // connection but refuses queries (1047): try the next server.
      if (servers.size() > 1) std::unique_ptr<sql::ResultSet>(st->executeQuery("SELECT 1"));
    } catch (const sql::SQLException& e) {
      conn_.reset();
      errors += (errors.empty() ? "" : "; ") + server + ": " + e.what() + " (error " +
                std::to_string(e.getErrorCode()) + ")";
      continue;
    }
    if (servers.size() > 1 && i != last_server_index_) {
      log("database: connected to ", server,
          i == 0 ? "" : " (the servers before it failed: ", errors, i == 0 ? "" : ")");
    }
    last_server_index_ = i;
    server_ = server;
    connected_at_ms_ = DbHealth::now_ms();
    health_->succeeded();
    return *conn_;
  }
  server_.clear();
  const std::int64_t now = DbHealth::now_ms();
  health_->failed(now, pid_, waited_out_timeout(config_, now - start));
  throw DbUnavailable("cannot connect to the database: " + errors);
}

void Db::begin_unit() {
  committed_ = in_doubt_ = false;
  // A connection to a later server of db_hosts goes back to the first ones
  // after a while (they may be back).
  if (conn_ && last_server_index_ > 0 && transaction_depth_ == 0 &&
      DbHealth::now_ms() - connected_at_ms_ > kFallbackMs) {
    reset();
  }
}

void Db::sync_wait() {
  guarded([&] {
    std::unique_ptr<sql::Statement> st(connection().createStatement());
    Timer t(*this, "sync_wait");
    std::unique_ptr<sql::ResultSet>(
        st->executeQuery("SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1"));
    return true;
  });
}

void Db::fail_if_timed_out(const sql::SQLException& e, std::int64_t start_ms) {
  if (!is_connection_lost(e)) return;
  const std::int64_t now = DbHealth::now_ms();
  // The connector gives up after its (whole-second) timeout; a loss that
  // came sooner is a closed connection, which one reconnect may cure.
  if (!waited_out_timeout(config_, now - start_ms)) return;
  reset();
  health_->failed(now, pid_, true);
  throw DbUnavailable("no answer from the database within " +
                      std::to_string(config_.db_timeout_seconds()) + " s (error " +
                      std::to_string(e.getErrorCode()) + ": " + e.what() + ")");
}

void Db::reset() {
  transaction_depth_ = 0;
  begin_pending_ = false;
  transaction_ran_ = transaction_wrote_ = false;
  server_.clear();
  statements_.clear();
  conn_.reset();
}

sql::PreparedStatement& Db::prepare(std::string_view sql) {
  // First the connection: it also begins a pending transaction, before the
  // statement runs, prepared or not.
  sql::Connection& c = connection();
  auto it = statements_.find(sql);
  if (it != statements_.end()) return *it->second;
  std::unique_ptr<sql::PreparedStatement> ps(
      c.prepareStatement(sql::SQLString(sql.data(), sql.size())));
  sql::PreparedStatement& prepared =
      *statements_.emplace(std::string(sql), std::move(ps)).first->second;
  // Galera can roll a transaction back under us without telling anyone: a
  // brute-force abort (a write-set from another node that needs this
  // transaction's locks) that lands while the server is answering a
  // COM_STMT_PREPARE. The prepare's OK has been sent already, the deadlock
  // error is not kept for the next command, and the statements after it run
  // outside any transaction (each committed on its own in autocommit mode;
  // in a new implicit transaction that COMMIT then committed, when
  // transactions began with autocommit=0): the request answered 302 without
  // its first statements. Found on the
  // cluster's general log: every one of 66 such transactions had a prepare
  // just before its first statement that ran in the new transaction; 0 in
  // more than 33,000 write conflicts when every statement was already
  // prepared (an abort while idle is answered with 1213 by the next command,
  // checked for a query, a prepare and an execute; one during an execute
  // fails that execute). The connector loses nothing (no command of its own
  // in the log, and its prepare checks the answer).
  // Prepares inside transactions come from new connections: after a
  // reconnect, and after a failed request (the dispatcher drops the
  // connection, except after a write conflict), just when writes conflict
  // most.
  // So after a prepare inside a transaction that has run a statement (a
  // write, or a locking read: only then does it hold what an abort takes),
  // one question: is it still open? That costs a
  // round trip per SQL text per connection, none on a warm connection. On a
  // single server it never fires (nothing aborts a transaction silently
  // there) and costs as little. Not the InnoDB transaction id: INNODB_TRX
  // needs the PROCESS privilege, and is a cache that is not refreshed within
  // 0.1 s of its last read (it showed no id right after the first write).
  if (transaction_ran_) check_transaction_open();
  return prepared;
}

void Db::run_unprepared(const char* sql) {
  std::unique_ptr<sql::Statement> st(open_connection().createStatement());
  Timer t(*this, sql);
  st->execute(sql);
}

void Db::check_transaction_open() {
  std::unique_ptr<sql::Statement> st(connection().createStatement());
  Timer t(*this, "SELECT @@in_transaction");
  std::unique_ptr<sql::ResultSet> rs(st->executeQuery("SELECT @@in_transaction"));
  if (rs->next() && rs->getInt(1) == 1) return;
  throw sql::SQLException(
      "the transaction was rolled back under it (a Galera brute-force abort during a prepare)",
      "40001", 1213);
}

void Db::bind(sql::PreparedStatement& ps, unsigned i, std::nullptr_t) {
  ps.setNull(i, sql::DataType::SQLNULL);
}

std::int64_t Db::last_insert_id() {
  auto rs = query("SELECT LAST_INSERT_ID()");
  return rs->next() ? rs->getInt64(1) : 0;
}

namespace {

// True for the word DELIMITER in any case (the mariadb client's command).
bool is_delimiter_command(std::string_view word) {
  constexpr std::string_view kCommand = "DELIMITER";
  return word.size() == kCommand.size() &&
         std::equal(word.begin(), word.end(), kCommand.begin(), [](char w, char c) {
           return std::toupper(static_cast<unsigned char>(w)) == c;
         });
}

}  // namespace

std::vector<std::string> split_sql_script(std::string_view script) {
  std::vector<std::string> out;
  std::string current;
  std::string delimiter = ";";
  while (!script.empty()) {
    std::size_t nl = script.find('\n');
    std::string_view line = script.substr(0, nl);
    script.remove_prefix(nl == std::string_view::npos ? script.size() : nl + 1);
    std::string_view trimmed = line;
    while (!trimmed.empty() &&
           (trimmed.back() == ' ' || trimmed.back() == '\r' || trimmed.back() == '\t')) {
      trimmed.remove_suffix(1);
    }
    std::size_t first = trimmed.find_first_not_of(" \t");
    if (first == std::string_view::npos || trimmed.substr(first, 2) == "--") continue;
    // "DELIMITER x" (any case) between statements.
    const std::string_view words = trimmed.substr(first);
    const std::size_t word_end = std::min(words.find_first_of(" \t"), words.size());
    if (current.empty() && is_delimiter_command(words.substr(0, word_end))) {
      std::string_view d = words.substr(word_end);
      d.remove_prefix(std::min(d.find_first_not_of(" \t"), d.size()));
      if (d.empty()) throw std::invalid_argument("a DELIMITER line without a delimiter");
      delimiter = d;
      continue;
    }
    current.append(trimmed).push_back('\n');
    if (trimmed.ends_with(delimiter)) {
      current.resize(current.size() - 1 - delimiter.size());
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\n") != std::string::npos) out.push_back(current);
  return out;
}

void Db::execute_script(std::string_view script) {
  std::unique_ptr<sql::Statement> st(connection().createStatement());
  for (const std::string& statement : split_sql_script(script)) st->execute(statement);
}

Db::Timer::~Timer() {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  metrics::add_db_time(us);
  if (us >= static_cast<long>(db.config_.slow_query_ms) * 1000) {
    log("slow query (", us, " us): ", sql);
  }
}

Db::Transaction::Transaction(Db& db) : db_(db), nested_(db.transaction_depth_ > 0) {
  // Begun by the first use of the connection (Db::connection).
  if (!nested_) db_.begin_pending_ = true;
  ++db_.transaction_depth_;
}

Db::Transaction::~Transaction() {
  if (db_.transaction_depth_ == 0) return;  // the connection was reset meanwhile
  --db_.transaction_depth_;
  if (done_ || nested_) return;
  db_.transaction_ran_ = db_.transaction_wrote_ = false;
  if (std::exchange(db_.begin_pending_, false)) return;  // nothing ran in it
  try {
    db_.run_unprepared("ROLLBACK");
  } catch (const sql::SQLException&) {
    db_.reset();  // a connection in an unknown state is not reused
  }
}

void Db::Transaction::commit() {
  if (!nested_ && std::exchange(db_.begin_pending_, false)) {
    done_ = true;  // nothing ran in it: nothing to commit
    return;
  }
  if (!nested_) {
    db_.guarded([this] {
      const bool wrote = std::exchange(db_.transaction_wrote_, false);
      db_.transaction_ran_ = false;
      // Once COMMIT is sent, only an answer says whether it was applied.
      db_.in_doubt_ = wrote;
      try {
        // A plain COMMIT statement, not Connection::commit(): the connector's
        // commit() let a COMMIT that Galera refused (a write-set conflict,
        // 1213) pass as a success, and the request answered as if it had
        // been stored (measured: about 6 % of the posts under two hosts).
        db_.run_unprepared("COMMIT");
      } catch (const sql::SQLException& e) {
        if (!is_connection_lost(e)) db_.in_doubt_ = false;
        throw;
      }
      db_.in_doubt_ = false;
      db_.committed_ = db_.committed_ || wrote;
      return true;
    });
  }
  done_ = true;
}

}  // namespace inkwell::core
