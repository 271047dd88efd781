// A login's statements: what it reads before the password is checked, in
// one round trip, and a successful login's writes in one more, the stored
// procedure inkwell_log_in (sql/migrations/0014_login_procedure.sql), whose
// statements auth::log_in runs itself when log_in_at_once answers false.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/db.hpp"
#include "models/session.hpp"
#include "models/user.hpp"

namespace inkwell::models {

// Before a password is checked: the recent failures (recent_login_failures)
// and the account with that email, if any, with its password hash.
struct LoginAttempt {
  LoginFailures failures;
  std::optional<User> user;
  std::string password_hash;
};
// email is normalized already ("" for an implausible one: no account).
LoginAttempt read_login_attempt(core::Db& db, std::string_view email, std::string_view address,
                                long window_seconds);

struct NewLogin {
  std::string ended_session_hash;      // the client's earlier session, "" if none
  NewSession session;                  // the new one (its remember_hash, "" for none)
  long remember_lifetime_seconds = 0;  // the remember-me token's, if any
  std::string agent_hash;              // SHA-256 of the User-Agent: with address, the device
  long device_days = 0;                // a device unused this long is new again
};

// The user is session.user_id, where from session.address. True when the procedure
// stored the login; false when the caller is to run the statements in a
// transaction: inside a caller's transaction, for a minute after the server
// refused the CALL, when the user is gone, or when the login sends a new
// sign-in mail (the procedure then changed nothing).
bool log_in_at_once(core::Db& db, const NewLogin& login);

}  // namespace inkwell::models
