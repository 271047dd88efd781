#include "models/login.hpp"

#include "models/procedure_call.hpp"

namespace inkwell::models {

bool log_in_at_once(core::Db& db, const NewLogin& l) {
  static StoredProcedure procedure{"CALL inkwell_log_in(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
  const NewSession& s = l.session;
  auto stored = call_procedure(db, procedure, s.user_id, l.address, l.ended_session_hash, s.id_hash,
                               s.fingerprint, static_cast<std::int64_t>(s.lifetime_seconds),
                               session_user_agent(s.user_agent), s.remember_hash,
                               static_cast<std::int64_t>(l.remember_lifetime_seconds), l.agent_hash,
                               static_cast<std::int64_t>(l.device_days));
  return stored.value_or(false);
}

}  // namespace inkwell::models
