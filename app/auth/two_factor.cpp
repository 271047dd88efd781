#include "auth/two_factor.hpp"

#include <ctime>

#include "auth/account.hpp"
#include "core/secret_box.hpp"
#include "core/security.hpp"
#include "core/totp.hpp"
#include "models/two_factor.hpp"
#include "models/user.hpp"

namespace inkwell::auth {
namespace {

constexpr std::string_view kPendingCookie = "two_factor";
constexpr std::string_view kPendingPurpose = "two_factor_login";
constexpr long kPendingSeconds = 300;

// Recovery codes are typed by people: case, spaces and dashes do not matter.
std::string normalize_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace

std::string recovery_code_hash(std::string_view code) {
  return security::sha256_hex(normalize_code(code));
}

std::string totp_owner(std::int64_t user_id) {
  return "totp user " + std::to_string(user_id);
}

SecondFactor check_second_factor(core::Context& ctx, std::int64_t user_id, std::string_view code) {
  models::TwoFactor state = models::two_factor_of(ctx.db, user_id);
  if (!state.enabled() || code.empty() || code.size() > 64) return SecondFactor::refused;
  if (auto secret = security::open(ctx.config.secret_key, totp_owner(user_id), state.secret_box)) {
    auto step =
        totp::matching_step(*secret, code, totp::step_of(std::time(nullptr)), state.last_step);
    if (step && models::claim_totp_step(ctx.db, user_id, *step)) return SecondFactor::totp;
  }
  if (models::use_recovery_code(ctx.db, user_id, recovery_code_hash(code))) {
    return SecondFactor::recovery_code;
  }
  return SecondFactor::refused;
}

void begin_two_factor_login(core::Context& ctx, std::int64_t user_id, bool remember) {
  std::string token =
      make_user_token(ctx, kPendingPurpose, user_id, kPendingSeconds, remember ? "r" : "");
  ctx.cookies.push_back(ctx.cookie(std::string(kPendingCookie), token, kPendingSeconds));
}

std::optional<PendingLogin> pending_two_factor_login(core::Context& ctx) {
  const std::string* cookie = ctx.req.cookies.find(kPendingCookie);
  if (!cookie) return std::nullopt;
  auto token = read_user_token(ctx, kPendingPurpose, *cookie);
  if (!token) return std::nullopt;
  return PendingLogin{token->user_id, token->payload == "r"};
}

void end_two_factor_login(core::Context& ctx) {
  ctx.cookies.push_back(ctx.cookie(std::string(kPendingCookie), "", 0));
}

void mail_two_factor_event(core::Context& ctx, std::int64_t user_id, std::string_view subject,
                           std::string_view what) {
  auto user = models::find_user(ctx.db, user_id);
  if (!user) return;
  ctemplate::TemplateDictionary dict("mail");
  dict.SetValue("USERNAME", user->username);
  dict.SetValue("WHAT", ctemplate::TemplateString(what.data(), what.size()));
  dict.SetValue("LINK", ctx.config.base_url + ctx.url_for("auth.account"));
  send_email(ctx, user->email, subject, "auth/email/two_factor", dict);
}

}  // namespace inkwell::auth
