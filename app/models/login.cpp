#include "models/login.hpp"

#include "models/procedure_call.hpp"

namespace inkwell::models {

LoginAttempt read_login_attempt(core::Db& db, std::string_view email, std::string_view address,
                                long window_seconds) {
  // recent_login_failures' counts, and the user as find_user_by_email reads
  // it, joined to the counts' one row. NOW(): never cached.
  static const std::string sql =
      std::string("SELECT ")
          .append(kUserColumns)
          .append(", u.password_hash, f.pair, f.address, f.account FROM (SELECT ")
          .append(kLoginFailureCounts)
          .append(") f LEFT JOIN (")
          .append(kUserTables)
          .append(") ON u.email = ?");
  const auto seconds = static_cast<std::int64_t>(window_seconds);
  auto rs = db.query(sql, email, address, seconds, address, seconds, email, seconds, email);
  LoginAttempt a;
  if (!rs->next()) return a;
  constexpr int f = kUserColumnCount + 2;  // the first count
  a.failures.pair = static_cast<long>(rs->getInt64(f));
  a.failures.address = static_cast<long>(rs->getInt64(f + 1));
  a.failures.account = email.empty() ? 0 : static_cast<long>(rs->getInt64(f + 2));
  if (!rs->isNull(1)) {
    a.user = read_user_row(*rs);
    a.password_hash = rs->getString(kUserColumnCount + 1);
  }
  return a;
}

bool log_in_at_once(core::Db& db, const NewLogin& l) {
  static StoredProcedure procedure{"CALL inkwell_log_in(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
  const NewSession& s = l.session;
  auto stored = call_procedure(db, procedure, s.user_id, s.address, l.ended_session_hash, s.id_hash,
                               s.fingerprint, static_cast<std::int64_t>(s.lifetime_seconds),
                               session_user_agent(s.user_agent), s.remember_hash,
                               static_cast<std::int64_t>(l.remember_lifetime_seconds), l.agent_hash,
                               static_cast<std::int64_t>(l.device_days));
  return stored.value_or(false);
}

}  // namespace inkwell::models
