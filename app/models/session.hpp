// Server-side sessions and remember-me tokens (SPEC §3). Only hashes of the
// ids the browser holds are stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/context.hpp"
#include "core/db.hpp"

namespace inkwell::models {

struct SessionUser {
  core::Identity identity;
  std::string fingerprint;
  long seconds_since_seen = 0;  // since the user's last_seen
};

void create_session(core::Db& db, std::string_view id_hash, std::int64_t user_id,
                    std::string_view fingerprint, long lifetime_seconds);
// The session's user, if the session exists and has not expired.
std::optional<SessionUser> find_session_user(core::Db& db, std::string_view id_hash);
void delete_session(core::Db& db, std::string_view id_hash);
// The user's unexpired sessions.
long count_sessions(core::Db& db, std::int64_t user_id);
// Ends every session of the user but the one given ("" ends them all).
void delete_other_sessions(core::Db& db, std::int64_t user_id, std::string_view keep_hash);

void create_remember_token(core::Db& db, std::string_view id_hash, std::int64_t user_id,
                           long lifetime_seconds);
// The user the unexpired remember token belongs to.
std::optional<std::int64_t> find_remember_user(core::Db& db, std::string_view id_hash);
void delete_remember_token(core::Db& db, std::string_view id_hash);
void delete_other_remember_tokens(core::Db& db, std::int64_t user_id, std::string_view keep_hash);

// Failed logins in the last window_seconds: of this (account, address) pair,
// of the address (any account) and of the account (any address). The rules
// that read them are auth/throttle's.
struct LoginFailures {
  long pair = 0;
  long address = 0;
  long account = 0;
};
LoginFailures recent_login_failures(core::Db& db, std::string_view email, std::string_view address,
                                    long window_seconds);
// email "" records a failure of the address alone (an invalid email).
void record_login_failure(core::Db& db, std::string_view email, std::string_view address);
// After a correct password: the pair starts afresh. Failures of the address
// against other accounts stay (logging into one's own account must not
// reset the address's count).
void clear_login_failures(core::Db& db, std::string_view email, std::string_view address);
// True for the one caller that may tell the user of failed sign-ins now: at
// most once per min_interval_seconds, atomically across workers and hosts.
bool claim_login_alert(core::Db& db, std::int64_t user_id, long min_interval_seconds);

}  // namespace inkwell::models
