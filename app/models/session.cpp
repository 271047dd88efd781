#include "models/session.hpp"

#include "core/http.hpp"
#include "core/time_format.hpp"
#include "models/cached_select.hpp"
#include "models/user.hpp"

namespace inkwell::models {

std::string_view session_user_agent(std::string_view agent) {
  constexpr std::size_t kMaxUserAgent = 512;
  // Whole UTF-8 characters only, so that the column takes it.
  std::size_t keep = 0;
  while (keep < agent.size()) {
    std::size_t n = http::utf8_sequence_length(agent.substr(keep));
    if (n == 0 || keep + n > kMaxUserAgent) break;
    keep += n;
  }
  return agent.substr(0, keep);
}

void create_session(core::Db& db, const NewSession& s) {
  db.execute(
      "INSERT INTO sessions (id_hash, user_id, fingerprint, expires_at, address, user_agent, "
      "remember_hash) VALUES (?, ?, ?, NOW(6) + INTERVAL ? SECOND, ?, ?, NULLIF(?, ''))",
      s.id_hash, s.user_id, s.fingerprint, static_cast<std::int64_t>(s.lifetime_seconds), s.address,
      session_user_agent(s.user_agent), s.remember_hash);
}

std::optional<SessionUser> find_session_user(core::Db& db, std::string_view id_hash) {
  // No NOW() in the statement: MariaDB's query cache answers it until the
  // session or the user changes (a statement that reads the clock is never
  // cached). Expiry and the last sight are measured against this host's
  // clock, which NTP keeps within milliseconds of the database's; a session
  // may outlive its expiry by that much.
  static const std::string sql = std::string(kCachedSelect) +
                                 "u.id, u.username, u.email, r.permissions, u.confirmed, "
                                 "s.fingerprint, " +
                                 micros_since_epoch("s.expires_at") + ", " +
                                 micros_since_epoch(
                                     "LEAST(GREATEST(u.last_seen, COALESCE(a.last_seen, "
                                     "u.last_seen)), s.last_seen_at)") +
                                 " FROM sessions s JOIN users u ON u.id = s.user_id "
                                 "JOIN roles r ON r.id = u.role_id "
                                 "LEFT JOIN user_activity a ON a.user_id = u.id "
                                 "WHERE s.id_hash = ? AND u.disabled_at IS NULL";
  auto rs = db.query(sql, id_hash);
  if (!rs->next()) return std::nullopt;
  const std::int64_t now_us = core::now_micros();
  if (rs->getInt64(7) <= now_us) return std::nullopt;  // expired
  SessionUser s;
  s.identity.id = rs->getInt64(1);
  s.identity.username = rs->getString(2);
  s.identity.email = rs->getString(3);
  s.identity.permissions = rs->getUInt(4);
  s.identity.confirmed = rs->getBoolean(5);
  s.fingerprint = rs->getString(6);
  s.seconds_since_seen = static_cast<long>((now_us - rs->getInt64(8)) / 1000000);
  return s;
}

void touch_session(core::Db& db, std::string_view id_hash) {
  // Not `users`: its write would drop every cached statement that reads a
  // user (migration 0015).
  db.execute("UPDATE sessions SET last_seen_at = NOW(6) WHERE id_hash = ?", id_hash);
  db.execute(
      "INSERT INTO user_activity (user_id, last_seen) "
      "SELECT user_id, NOW(6) FROM sessions WHERE id_hash = ? "
      "ON DUPLICATE KEY UPDATE last_seen = VALUES(last_seen)",
      id_hash);
}

std::vector<SessionInfo> list_sessions(core::Db& db, std::int64_t user_id) {
  auto rs = db.query(
      "SELECT public_id, id_hash, address, user_agent, "
      "DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), "
      "DATE_FORMAT(last_seen_at, '%Y-%m-%dT%H:%i:%sZ'), remember_hash IS NOT NULL "
      "FROM sessions WHERE user_id = ? AND expires_at > NOW(6) "
      "ORDER BY last_seen_at DESC, public_id DESC",
      user_id);
  std::vector<SessionInfo> out;
  while (rs->next()) {
    out.push_back({rs->getInt64(1), rs->getString(2), rs->getString(3), rs->getString(4),
                   rs->getString(5), rs->getString(6), rs->getBoolean(7)});
  }
  return out;
}

bool revoke_session(core::Db& db, std::int64_t user_id, std::int64_t public_id) {
  core::Db::Transaction tx(db);
  db.execute(
      "DELETE t FROM remember_tokens t JOIN sessions s ON s.remember_hash = t.id_hash "
      "WHERE s.user_id = ? AND s.public_id = ?",
      user_id, public_id);
  bool found = db.execute("DELETE FROM sessions WHERE user_id = ? AND public_id = ?", user_id,
                          public_id) > 0;
  tx.commit();
  return found;
}

void delete_session(core::Db& db, std::string_view id_hash) {
  db.execute("DELETE FROM sessions WHERE id_hash = ?", id_hash);
}

void delete_other_sessions(core::Db& db, std::int64_t user_id, std::string_view keep_hash) {
  db.execute("DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", user_id, keep_hash);
}

void create_remember_token(core::Db& db, std::string_view id_hash, std::int64_t user_id,
                           long lifetime_seconds) {
  db.execute(
      "INSERT INTO remember_tokens (id_hash, user_id, expires_at) "
      "VALUES (?, ?, NOW(6) + INTERVAL ? SECOND)",
      id_hash, user_id, static_cast<std::int64_t>(lifetime_seconds));
}

std::optional<std::int64_t> find_remember_user(core::Db& db, std::string_view id_hash) {
  auto rs = db.query(
      "SELECT user_id FROM remember_tokens WHERE id_hash = ? AND expires_at > NOW(6)", id_hash);
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

void delete_remember_token(core::Db& db, std::string_view id_hash) {
  db.execute("DELETE FROM remember_tokens WHERE id_hash = ?", id_hash);
}

void delete_other_remember_tokens(core::Db& db, std::int64_t user_id, std::string_view keep_hash) {
  db.execute("DELETE FROM remember_tokens WHERE user_id = ? AND id_hash <> ?", user_id, keep_hash);
}

LoginFailures recent_login_failures(core::Db& db, std::string_view email, std::string_view address,
                                    long window_seconds) {
  auto seconds = static_cast<std::int64_t>(window_seconds);
  static const std::string sql = std::string("SELECT ").append(kLoginFailureCounts);
  auto rs = db.query(sql, email, address, seconds, address, seconds, email, seconds);
  LoginFailures f;
  if (rs->next()) {
    f.pair = static_cast<long>(rs->getInt64(1));
    f.address = static_cast<long>(rs->getInt64(2));
    f.account = email.empty() ? 0 : static_cast<long>(rs->getInt64(3));
  }
  return f;
}

void record_login_failure(core::Db& db, std::string_view email, std::string_view address) {
  db.execute("INSERT INTO login_failures (email, address) VALUES (?, ?)", email, address);
}

void clear_login_failures(core::Db& db, std::string_view email, std::string_view address) {
  db.execute("DELETE FROM login_failures WHERE email = ? AND address = ?", email, address);
}

bool claim_login_alert(core::Db& db, std::int64_t user_id, long min_interval_seconds) {
  ensure_login_row(db, user_id);
  return db.execute(
             "UPDATE user_logins SET login_alert_at = NOW(6) WHERE user_id = ? AND "
             "(login_alert_at IS NULL OR login_alert_at < NOW(6) - INTERVAL ? SECOND)",
             user_id, static_cast<std::int64_t>(min_interval_seconds)) == 1;
}

}  // namespace inkwell::models
