// inkwell users show EMAIL: the account, its login record, sessions and
// two-factor state. inkwell users reset-2fa EMAIL: turns two-factor login
// off for an owner who lost their device and recovery codes.
#include <iostream>
#include <stdexcept>

#include "cli/commands.hpp"
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

void show(core::Db& db, const models::User& u) {
  models::LoginRecord login = models::login_record(db, u.id);
  models::TwoFactor tfa = models::two_factor_of(db, u.id);
  std::cout << "user " << u.id << ": " << u.username << " <" << u.email << ">\n"
            << "  role: " << u.role_name << (u.confirmed ? ", confirmed" : ", unconfirmed")
            << "\n  member since: " << u.member_since << ", last seen: " << u.last_seen
            << "\n  logins: " << login.count << "; this: " << or_never(login.current_at)
            << (login.current_ip.empty() ? "" : " from " + login.current_ip)
            << "; previous: " << or_never(login.last_at)
            << (login.last_ip.empty() ? "" : " from " + login.last_ip) << "\n  two-factor: "
            << (tfa.enabled()
                    ? "on, " + std::to_string(tfa.recovery_codes_left) + " recovery codes left"
                    : std::string("off"))
            << "\n  personal API tokens: " << models::list_api_tokens(db, u.id).size() << '\n';
  auto sessions = models::list_sessions(db, u.id);
  std::cout << "  sessions: " << sessions.size() << '\n';
  for (const models::SessionInfo& s : sessions) {
    std::cout << "    #" << s.public_id << "  " << core::describe_user_agent(s.user_agent)
              << "  from " << s.address << "  started " << s.created_at << "  last seen "
              << s.last_seen_at << (s.remembered ? "  (remember me)" : "") << '\n';
  }
}

}  // namespace

int users(core::Db& db, const core::Config&, const Args& args) {
  const std::vector<std::string>& a = args.all();
  if (a.size() != 2 || (a[0] != "show" && a[0] != "reset-2fa")) {
    throw std::invalid_argument("users needs: show EMAIL, or reset-2fa EMAIL");
  }
  auto user = models::find_user_by_email(db, a[1]);
  if (!user) {
    std::cerr << "inkwell: no user with email " << a[1] << '\n';
    return 1;
  }
  if (a[0] == "reset-2fa") {
    models::disable_totp(db, user->id);
    std::cout << "two-factor login is off for " << user->username << " <" << user->email << ">\n";
    return 0;
  }
  show(db, *user);
  return 0;
}

}  // namespace inkwell::cli
