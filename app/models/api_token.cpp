#include "models/api_token.hpp"

#include "core/time_format.hpp"
#include "models/cached_select.hpp"

namespace inkwell::models {
namespace {

constexpr std::string_view kLive =
    "(t.expires_at IS NULL OR t.expires_at > NOW(6)) AND t.token_version = u.token_version";

// last_used_at is written at most once a minute.
constexpr std::int64_t kLastUsedEvery = 60 * 1000000;

}  // namespace

std::int64_t create_api_token(core::Db& db, std::int64_t user_id, std::string_view name,
                              std::string_view token_hash, long expires_days) {
  db.execute(
      "INSERT INTO api_tokens (user_id, name, token_hash, token_version, expires_at) "
      "SELECT id, ?, ?, token_version, IF(? > 0, NOW(6) + INTERVAL ? DAY, NULL) "
      "FROM users WHERE id = ?",
      name, token_hash, static_cast<std::int64_t>(expires_days),
      static_cast<std::int64_t>(expires_days), user_id);
  return db.last_insert_id();
}

std::vector<ApiToken> list_api_tokens(core::Db& db, std::int64_t user_id) {
  static const std::string sql =
      "SELECT t.id, t.name, DATE_FORMAT(t.created_at, '%Y-%m-%dT%H:%i:%sZ'), "
      "COALESCE(DATE_FORMAT(t.last_used_at, '%Y-%m-%dT%H:%i:%sZ'), ''), "
      "COALESCE(DATE_FORMAT(t.expires_at, '%Y-%m-%dT%H:%i:%sZ'), '') "
      "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.user_id = ? AND " +
      std::string(kLive) + " ORDER BY t.id DESC";
  auto rs = db.query(sql, user_id);
  std::vector<ApiToken> out;
  while (rs->next()) {
    out.push_back(
        {rs->getInt64(1), rs->getString(2), rs->getString(3), rs->getString(4), rs->getString(5)});
  }
  return out;
}

bool revoke_api_token(core::Db& db, std::int64_t user_id, std::int64_t id) {
  return db.execute("DELETE FROM api_tokens WHERE user_id = ? AND id = ?", user_id, id) > 0;
}

std::optional<std::int64_t> use_api_token(core::Db& db, std::string_view token_hash) {
  // No NOW() here: MariaDB's query cache answers the statement until the
  // token or its user changes; expiry is measured on this host's clock (as a
  // session's is, models/session.cpp).
  static const std::string sql =
      std::string(kCachedSelect) + "t.id, t.user_id, " + micros_since_epoch("t.expires_at") + ", " +
      micros_since_epoch("t.last_used_at") +
      " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND "
      "t.token_version = u.token_version";
  auto rs = db.query(sql, token_hash);
  if (!rs->next()) return std::nullopt;
  const std::int64_t now = core::now_micros();
  const std::int64_t expires = rs->getInt64(3);
  if (!rs->isNull(3) && expires <= now) return std::nullopt;
  if (rs->isNull(4) || rs->getInt64(4) < now - kLastUsedEvery) {
    db.execute("UPDATE api_tokens SET last_used_at = NOW(6) WHERE id = ?", rs->getInt64(1));
  }
  return rs->getInt64(2);
}

}  // namespace inkwell::models
