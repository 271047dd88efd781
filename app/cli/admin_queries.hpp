// The SQL of the operator's commands that the site never runs (the site's
// own SQL is in app/models/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/db.hpp"

namespace inkwell::cli {

struct UserRow {
  std::int64_t id = 0;
  std::string email, username, role, member_since;
  bool confirmed = false;
};
// Oldest first; only unconfirmed ones, only one role, when asked.
std::vector<UserRow> list_users(core::Db& db, bool unconfirmed_only,
                                const std::optional<std::string>& role);

// Unconfirmed, enabled accounts registered more than `seconds` ago to whose
// address no mail with this subject was queued in the last `seconds` (as far
// as the outbox still holds it: `outbox purge` deletes sent mail), oldest
// first.
std::vector<UserRow> unconfirmed_not_mailed(core::Db& db, long seconds, const std::string& subject);

enum class RoleChange { changed, unchanged, no_such_role, last_administrator };
// Gives the user the named role, in one transaction that locks the
// Administrators' rows: the last Administrator is never demoted.
RoleChange set_role(core::Db& db, std::int64_t user_id, const std::string& role);

// Deletes every session and remember-me token of the user; returns how many.
std::uint64_t revoke_all_sessions(core::Db& db, std::int64_t user_id);

// Disables the account (no login of any kind, its tokens dead, its sessions
// and remember-me tokens gone) or enables it again; false when it already was.
bool set_disabled(core::Db& db, std::int64_t user_id, bool disabled);

// Deletes sent mail older than `seconds`; returns how many, in batches.
std::uint64_t purge_sent_mail(core::Db& db, long seconds);

struct Purged {
  std::uint64_t sessions = 0, remember_tokens = 0, login_failures = 0, mail_requests = 0,
                rate_limits = 0;
};
// Expired sessions and remember-me tokens; login failures and mail requests
// older than a day (the throttles look at 15 minutes); ended rate-limit windows.
Purged purge_expired(core::Db& db);

}  // namespace inkwell::cli
