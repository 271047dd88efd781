// Server-side sessions and remember-me tokens (SPEC §3). Only hashes of the
// ids the browser holds are stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.hpp"
#include "core/db.hpp"

namespace inkwell::models {

struct SessionUser {
  core::Identity identity;
  std::string fingerprint;
  long seconds_since_seen = 0;  // since the user's or the session's last sight, the older
};

struct NewSession {
  std::string id_hash;
  std::int64_t user_id = 0;
  std::string fingerprint;
  long lifetime_seconds = 0;
  std::string address;        // where it was started
  std::string user_agent;     // in what (cut to 512 bytes)
  std::string remember_hash;  // the remember-me token it came with, "" if none
};
void create_session(core::Db& db, const NewSession& s);
// The user agent as a session stores it: its first 512 bytes, whole UTF-8
// characters only.
std::string_view session_user_agent(std::string_view agent);
// The session's user, if the session exists and has not expired.
std::optional<SessionUser> find_session_user(core::Db& db, std::string_view id_hash);
// The user and the session were seen now.
void touch_session(core::Db& db, std::string_view id_hash);
void delete_session(core::Db& db, std::string_view id_hash);

// What the owner sees of each of their sessions.
struct SessionInfo {
  std::int64_t public_id = 0;
  std::string id_hash;  // to mark "this device"; never shown
  std::string address;
  std::string user_agent;
  std::string created_at;    // "YYYY-MM-DDTHH:MM:SSZ"
  std::string last_seen_at;  // same
  bool remembered = false;   // came with a remember-me token
};
// The user's unexpired sessions, most recently seen first.
std::vector<SessionInfo> list_sessions(core::Db& db, std::int64_t user_id);
// Ends the user's session with that public id and the remember-me token it
// came with; false when the user has no such session.
bool revoke_session(core::Db& db, std::int64_t user_id, std::int64_t public_id);
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
// Its three counts as select expressions (pair, address, account) for
// another statement; their parameters: email, address, seconds, address,
// seconds, email, seconds.
inline constexpr std::string_view kLoginFailureCounts =
    "(SELECT COUNT(*) FROM login_failures WHERE email = ? AND address = ? AND "
    "failed_at > NOW(6) - INTERVAL ? SECOND) AS pair, "
    "(SELECT COUNT(*) FROM login_failures WHERE address = ? AND "
    "failed_at > NOW(6) - INTERVAL ? SECOND) AS address, "
    "(SELECT COUNT(*) FROM login_failures WHERE email = ? AND "
    "failed_at > NOW(6) - INTERVAL ? SECOND) AS account ";
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
