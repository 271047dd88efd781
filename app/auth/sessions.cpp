#include "auth/sessions.hpp"

#include "auth/account.hpp"
#include "core/security.hpp"
#include "core/session.hpp"
#include "models/login.hpp"
#include "models/session.hpp"
#include "models/user.hpp"

namespace inkwell::auth {
namespace {

constexpr long kSessionSeconds = 31L * 24 * 3600;  // server-side ceiling
constexpr long kLastSeenEvery = 60;                // SPEC §2: at most once a minute

void forget_cookie(core::Context& ctx, std::string_view name) {
  ctx.cookies.push_back(ctx.cookie(std::string(name), "", 0));
}

std::string remember_hash(const core::Context& ctx) {
  const std::string* v = ctx.req.cookies.find(core::kRememberCookie);
  return v && !v->empty() ? core::id_hash(*v) : std::string();
}

// A new session for ctx's client and its user, not stored yet; remember_hash
// names the remember-me token it comes with ("" for none). It is seen now
// (the column's default); the caller marks the user seen.
struct StartedSession {
  std::string id;  // what the cookie holds
  models::NewSession row;
};
StartedSession new_session(const core::Context& ctx, const core::Identity& who,
                           const std::string& remember_hash) {
  StartedSession s{security::random_token(32), {}};
  s.row.id_hash = core::id_hash(s.id);
  s.row.user_id = who.id;
  s.row.fingerprint = core::client_fingerprint(ctx.req);
  s.row.lifetime_seconds = kSessionSeconds;
  s.row.address = ctx.req.remote_addr;
  s.row.user_agent = ctx.req.header("user-agent");
  s.row.remember_hash = remember_hash;
  return s;
}

// The stored session is the client's from now on: its cookie set.
void adopt_session(core::Context& ctx, const core::Identity& who, const std::string& id) {
  ctx.session_id = id;
  ctx.user = who;
  ctx.cookies.push_back(ctx.cookie(std::string(core::kSessionCookie), id, std::nullopt));
}

// The remember-me cookie restores a login: a fresh session for this client.
void restore_from_remember_cookie(core::Context& ctx) {
  std::string hash = remember_hash(ctx);
  if (hash.empty()) return;
  auto user_id = models::find_remember_user(ctx.db, hash);
  if (!user_id) {
    forget_cookie(ctx, core::kRememberCookie);
    return;
  }
  auto user = models::find_user(ctx.db, *user_id);
  if (!user || user->disabled) return;
  const core::Identity who = models::identity_of(*user);
  StartedSession s = new_session(ctx, who, hash);
  models::create_session(ctx.db, s.row);
  adopt_session(ctx, who, s.id);
  models::touch_session(ctx.db, s.row.id_hash);
}

}  // namespace

void identify(core::Context& ctx) {
  const std::string* sid = ctx.req.cookies.find(core::kSessionCookie);
  if (sid && !sid->empty()) {
    std::string hash = core::id_hash(*sid);
    auto found = models::find_session_user(ctx.db, hash);
    if (found &&
        security::constant_time_equals(found->fingerprint, core::client_fingerprint(ctx.req))) {
      ctx.session_id = *sid;
      ctx.user = found->identity;
      if (found->seconds_since_seen >= kLastSeenEvery) models::touch_session(ctx.db, hash);
      return;
    }
    forget_cookie(ctx, core::kSessionCookie);
    if (found) {
      // Strong protection: the session moved to another client. It ends, and
      // so does this client's remember-me token.
      models::delete_session(ctx.db, hash);
      std::string rh = remember_hash(ctx);
      if (!rh.empty()) models::delete_remember_token(ctx.db, rh);
      forget_cookie(ctx, core::kRememberCookie);
      return;
    }
  }
  restore_from_remember_cookie(ctx);
}

std::optional<http::Response> unconfirmed_gate(core::Context& ctx) {
  if (!ctx.user || ctx.user->confirmed) return std::nullopt;
  const std::string& p = ctx.req.path;
  if (p.rfind("/auth/", 0) == 0 || p.rfind("/static/", 0) == 0) return std::nullopt;
  return http::Response::redirect(ctx.url_for("auth.unconfirmed"));
}

http::Response login_redirect(core::Context& ctx) {
  std::string target = ctx.req.path;
  if (!ctx.req.query_string.empty()) target += "?" + ctx.req.query_string;
  ctx.flash("Please log in to access this page.", "info");
  return http::Response::redirect(ctx.url_for("auth.login") + "?next=" + http::url_encode(target));
}

void log_in(core::Context& ctx, const core::Identity& who, bool remember) {
  const std::string remember_token = remember ? security::random_token(32) : std::string();
  models::NewLogin login;
  if (!ctx.session_id.empty()) login.ended_session_hash = core::id_hash(ctx.session_id);
  StartedSession s =
      new_session(ctx, who, remember ? core::id_hash(remember_token) : std::string());
  login.session = std::move(s.row);
  login.remember_lifetime_seconds = core::kRememberSeconds;
  login.agent_hash = device_agent_hash(ctx);
  login.device_days = kNewDeviceAfterDays;
  // One round trip (inkwell_log_in), or the same statements from here: in a
  // caller's transaction, without the procedure, or with a mail to send.
  if (!models::log_in_at_once(ctx.db, login)) {
    core::Db::Transaction tx(ctx.db);
    // The login record first: its row stays locked for writing until the
    // commit, so that two logins into one account at once queue here.
    models::record_login(ctx.db, who.id, login.session.address);
    if (!login.ended_session_hash.empty()) models::delete_session(ctx.db, login.ended_session_hash);
    if (remember) {
      models::create_remember_token(ctx.db, login.session.remember_hash, who.id,
                                    core::kRememberSeconds);
    }
    models::create_session(ctx.db, login.session);
    mail_if_new_signin(ctx, who);
    tx.commit();
  }
  if (remember) {
    ctx.cookies.push_back(
        ctx.cookie(std::string(core::kRememberCookie), remember_token, core::kRememberSeconds));
  }
  adopt_session(ctx, who, s.id);
}

void log_out(core::Context& ctx) {
  if (!ctx.session_id.empty()) models::delete_session(ctx.db, core::id_hash(ctx.session_id));
  std::string rh = remember_hash(ctx);
  if (!rh.empty()) models::delete_remember_token(ctx.db, rh);
  forget_cookie(ctx, core::kSessionCookie);
  forget_cookie(ctx, core::kRememberCookie);
  ctx.session_id.clear();
  ctx.user.reset();
}

void end_other_sessions(core::Context& ctx, std::int64_t user_id) {
  std::string keep = ctx.session_id.empty() ? std::string() : core::id_hash(ctx.session_id);
  models::delete_other_sessions(ctx.db, user_id, keep);
  models::delete_other_remember_tokens(ctx.db, user_id, remember_hash(ctx));
}

}  // namespace inkwell::auth
