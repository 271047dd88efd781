// A successful login's writes in one round trip: the stored procedure
// inkwell_log_in (sql/migrations/0014_login_procedure.sql). Its statements
// are the ones auth::log_in runs itself when this answers false.
#pragma once

#include <cstdint>
#include <string>

#include "core/db.hpp"
#include "models/session.hpp"

namespace inkwell::models {

struct NewLogin {
  std::string address;                 // where from
  std::string ended_session_hash;      // the client's earlier session, "" if none
  NewSession session;                  // the new one (its remember_hash, "" for none)
  long remember_lifetime_seconds = 0;  // the remember-me token's, if any
  std::string agent_hash;              // SHA-256 of the User-Agent: with address, the device
  long device_days = 0;                // a device unused this long is new again
};

// The session and the user are session.user_id. True when the procedure
// stored the login; false when the caller is to run the statements in a
// transaction: inside a caller's transaction, for a minute after the server
// refused the CALL, when the user is gone, or when the login sends a new
// sign-in mail (the procedure then changed nothing).
bool log_in_at_once(core::Db& db, const NewLogin& login);

}  // namespace inkwell::models
