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
// Ends every session of the user but the one given ("" ends them all).
void delete_other_sessions(core::Db& db, std::int64_t user_id, std::string_view keep_hash);

void create_remember_token(core::Db& db, std::string_view id_hash, std::int64_t user_id,
                           long lifetime_seconds);
// The user the unexpired remember token belongs to.
std::optional<std::int64_t> find_remember_user(core::Db& db, std::string_view id_hash);
void delete_remember_token(core::Db& db, std::string_view id_hash);
void delete_other_remember_tokens(core::Db& db, std::int64_t user_id, std::string_view keep_hash);

// SPEC §3: 5 failed logins in 15 minutes for an account (or 20 from one
// address) and further attempts are refused, correct password or not.
bool login_throttled(core::Db& db, std::string_view email, std::string_view address);

// Login throttling: failures in the last window_seconds.
struct FailureCounts {
  long by_email = 0;
  long by_address = 0;
};
FailureCounts recent_login_failures(core::Db& db, std::string_view email, std::string_view address,
                                    long window_seconds);
void record_login_failure(core::Db& db, std::string_view email, std::string_view address);
void clear_login_failures(core::Db& db, std::string_view email);

}  // namespace inkwell::models
