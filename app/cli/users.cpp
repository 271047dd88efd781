// inkwell users list|show|confirm|set-role|reset-2fa: accounts as an
// operator sees them. An unknown email is exit status 1.
#include <iostream>
#include <optional>
#include <stdexcept>

#include "cli/admin_queries.hpp"
#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "core/user_agent.hpp"
#include "models/api_token.hpp"
#include "models/session.hpp"
#include "models/two_factor.hpp"
#include "models/user.hpp"

namespace inkwell::cli {
namespace {

std::string or_never(const std::string& s) {
  return s.empty() ? "never" : s;
}

}  // namespace

std::optional<models::User> account_argument(core::Db& db, const Args& args) {
  const std::string email = args.positional(0);
  auto user = models::find_user_by_email(db, email);
  if (!user) std::cerr << "inkwell: no user with email " << email << '\n';
  return user;
}

int users_list(core::Db& db, const core::Config&, const Args& args) {
  std::optional<std::string> role;
  if (args.flag("--role")) role = args.value("--role");
  auto rows = list_users(db, args.flag("--unconfirmed"), role);
  for (const UserRow& u : rows) {
    std::cout << u.id << '\t' << u.email << '\t' << u.username << '\t' << u.role << '\t'
              << (u.confirmed ? "confirmed" : "unconfirmed") << '\t' << u.member_since << '\n';
  }
  std::cerr << rows.size() << (rows.size() == 1 ? " account\n" : " accounts\n");
  return exit_code::kOk;
}

int users_show(core::Db& db, const core::Config&, const Args& args) {
  auto u = account_argument(db, args);
  if (!u) return exit_code::kFailed;
  models::LoginRecord login = models::login_record(db, u->id);
  models::TwoFactor tfa = models::two_factor_of(db, u->id);
  std::cout << "user " << u->id << ": " << u->username << " <" << u->email << ">\n"
            << "  role: " << u->role_name << (u->confirmed ? ", confirmed" : ", unconfirmed")
            << (u->disabled ? ", DISABLED" : "") << "\n  member since: " << u->member_since
            << ", last seen: " << u->last_seen << "\n  logins: " << login.count
            << "; this: " << or_never(login.current_at)
            << (login.current_ip.empty() ? "" : " from " + login.current_ip)
            << "; previous: " << or_never(login.last_at)
            << (login.last_ip.empty() ? "" : " from " + login.last_ip) << "\n  two-factor: "
            << (tfa.enabled()
                    ? "on, " + std::to_string(tfa.recovery_codes_left) + " recovery codes left"
                    : std::string("off"))
            << "\n  personal API tokens: " << models::list_api_tokens(db, u->id).size() << '\n';
  auto sessions = models::list_sessions(db, u->id);
  std::cout << "  sessions: " << sessions.size() << '\n';
  for (const models::SessionInfo& s : sessions) {
    std::cout << "    #" << s.public_id << "  " << core::describe_user_agent(s.user_agent)
              << "  from " << s.address << "  started " << s.created_at << "  last seen "
              << s.last_seen_at << (s.remembered ? "  (remember me)" : "") << '\n';
  }
  return exit_code::kOk;
}

int users_confirm(core::Db& db, const core::Config&, const Args& args) {
  auto u = account_argument(db, args);
  if (!u) return exit_code::kFailed;
  if (u->confirmed) {
    std::cout << u->email << " was already confirmed\n";
    return exit_code::kOk;
  }
  models::confirm_user(db, u->id);
  std::cout << "confirmed " << u->username << " <" << u->email << ">\n";
  return exit_code::kOk;
}

int users_set_role(core::Db& db, const core::Config&, const Args& args) {
  auto u = account_argument(db, args);
  if (!u) return exit_code::kFailed;
  const std::string role = args.positional(1);
  switch (set_role(db, u->id, role)) {
    case RoleChange::no_such_role:
      std::cerr << "inkwell: no role '" << role << "' (User, Moderator, Administrator)\n";
      return exit_code::kUsage;
    case RoleChange::last_administrator:
      std::cerr << "inkwell: refused: " << u->email
                << " is the last Administrator; make another one first\n";
      return exit_code::kRefused;
    case RoleChange::unchanged:
      std::cout << u->email << " already has the role " << role << '\n';
      return exit_code::kOk;
    case RoleChange::changed:
      std::cout << u->email << " is now " << role << '\n';
      return exit_code::kOk;
  }
  return exit_code::kFailed;
}

int users_disable(core::Db& db, const core::Config&, const Args& args) {
  auto u = account_argument(db, args);
  if (!u) return exit_code::kFailed;
  const bool changed = set_disabled(db, u->id, true);
  std::cout << u->email
            << (changed ? " is disabled; its sessions ended\n" : " was already disabled\n");
  return exit_code::kOk;
}

int users_enable(core::Db& db, const core::Config&, const Args& args) {
  auto u = account_argument(db, args);
  if (!u) return exit_code::kFailed;
  const bool changed = set_disabled(db, u->id, false);
  std::cout << u->email << (changed ? " is enabled\n" : " was not disabled\n");
  return exit_code::kOk;
}

int users_reset_2fa(core::Db& db, const core::Config&, const Args& args) {
  auto u = account_argument(db, args);
  if (!u) return exit_code::kFailed;
  models::disable_totp(db, u->id);
  std::cout << "two-factor login is off for " << u->username << " <" << u->email << ">\n";
  return exit_code::kOk;
}

int sessions_revoke(core::Db& db, const core::Config&, const Args& args) {
  auto u = account_argument(db, args);
  if (!u) return exit_code::kFailed;
  std::uint64_t n = revoke_all_sessions(db, u->id);
  std::cout << "ended " << n << (n == 1 ? " session or token" : " sessions and tokens") << " of "
            << u->email << '\n';
  return exit_code::kOk;
}

int purge(core::Db& db, const core::Config&, const Args&) {
  Purged p = purge_expired(db);
  std::cout << "purged: " << p.sessions << " sessions, " << p.remember_tokens
            << " remember-me tokens, " << p.login_failures << " login failures, " << p.mail_requests
            << " mail requests, " << p.rate_limits << " rate-limit windows\n";
  return exit_code::kOk;
}

}  // namespace inkwell::cli
