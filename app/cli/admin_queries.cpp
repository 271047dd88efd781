#include "cli/admin_queries.hpp"

namespace inkwell::cli {
namespace {

constexpr int kBatch = 10000;  // rows per DELETE: short locks, bounded undo

// Repeats a DELETE … LIMIT until it deletes nothing; returns the total.
template <class... Args>
std::uint64_t delete_in_batches(core::Db& db, const std::string& sql, const Args&... args) {
  std::uint64_t total = 0;
  for (;;) {
    std::uint64_t n = db.execute(sql, args..., kBatch);
    total += n;
    if (n < static_cast<std::uint64_t>(kBatch)) return total;
  }
}

// An account as the users commands list it (user_rows reads it).
constexpr std::string_view kUserColumns =
    "SELECT u.id, u.email, u.username, r.name, u.confirmed,"
    " DATE_FORMAT(u.member_since, '%Y-%m-%d %H:%i:%s') FROM users u"
    " JOIN roles r ON r.id = u.role_id";

// The rows of a query whose columns are those of kUserColumns.
std::vector<UserRow> user_rows(sql::ResultSet& rs) {
  std::vector<UserRow> out;
  while (rs.next()) {
    UserRow u;
    u.id = rs.getInt64(1);
    u.email = rs.getString(2);
    u.username = rs.getString(3);
    u.role = rs.getString(4);
    u.confirmed = rs.getBoolean(5);
    u.member_since = rs.getString(6);
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace

std::vector<UserRow> list_users(core::Db& db, bool unconfirmed_only,
                                const std::optional<std::string>& role) {
  auto rs = db.query(std::string(kUserColumns) +
                         " WHERE (? = 0 OR NOT u.confirmed) AND (? = '' OR r.name = ?)"
                         " ORDER BY u.id",
                     unconfirmed_only ? 1 : 0, role.value_or(""), role.value_or(""));
  return user_rows(*rs);
}

std::vector<UserRow> unconfirmed_not_mailed(core::Db& db, long seconds,
                                            const std::string& subject) {
  // NOT IN over the outbox's recent rows: one pass over mail_outbox (it has
  // no index on recipient), whatever the number of accounts.
  auto rs = db.query(std::string(kUserColumns) +
                         " WHERE NOT u.confirmed AND u.disabled_at IS NULL"
                         " AND u.member_since < NOW(6) - INTERVAL ? SECOND"
                         " AND u.email NOT IN (SELECT o.recipient FROM mail_outbox o"
                         " WHERE o.subject = ? AND o.created_at >= NOW(6) - INTERVAL ? SECOND)"
                         " ORDER BY u.id",
                     seconds, subject, seconds);
  return user_rows(*rs);
}

RoleChange set_role(core::Db& db, std::int64_t user_id, const std::string& role) {
  core::Db::Transaction tx(db);
  auto r = db.query("SELECT id, permissions FROM roles WHERE name = ?", role);
  if (!r->next()) return RoleChange::no_such_role;
  const std::int64_t role_id = r->getInt64(1);
  // Every Administrator row locked: two demotions at once cannot both pass.
  auto admins = db.query(
      "SELECT u.id FROM users u JOIN roles r ON r.id = u.role_id"
      " WHERE r.name = 'Administrator' FOR UPDATE");
  bool is_admin = false;
  int count = 0;
  while (admins->next()) {
    ++count;
    if (admins->getInt64(1) == user_id) is_admin = true;
  }
  if (is_admin && role != "Administrator" && count == 1) return RoleChange::last_administrator;
  std::uint64_t n = db.execute("UPDATE users SET role_id = ? WHERE id = ? AND role_id <> ?",
                               role_id, user_id, role_id);
  tx.commit();
  return n ? RoleChange::changed : RoleChange::unchanged;
}

std::uint64_t revoke_all_sessions(core::Db& db, std::int64_t user_id) {
  core::Db::Transaction tx(db);
  std::uint64_t n = db.execute("DELETE FROM sessions WHERE user_id = ?", user_id);
  n += db.execute("DELETE FROM remember_tokens WHERE user_id = ?", user_id);
  tx.commit();
  return n;
}

bool set_disabled(core::Db& db, std::int64_t user_id, bool disabled) {
  core::Db::Transaction tx(db);
  std::uint64_t n =
      disabled ? db.execute(
                     "UPDATE users SET disabled_at = NOW(6), token_version = token_version + 1"
                     " WHERE id = ? AND disabled_at IS NULL",
                     user_id)
               : db.execute(
                     "UPDATE users SET disabled_at = NULL WHERE id = ? AND disabled_at IS NOT NULL",
                     user_id);
  if (disabled) {
    db.execute("DELETE FROM sessions WHERE user_id = ?", user_id);
    db.execute("DELETE FROM remember_tokens WHERE user_id = ?", user_id);
  }
  tx.commit();
  return n > 0;
}

std::uint64_t purge_sent_mail(core::Db& db, long seconds) {
  return delete_in_batches(db,
                           "DELETE FROM mail_outbox WHERE sent_at IS NOT NULL"
                           " AND sent_at < NOW(6) - INTERVAL ? SECOND LIMIT ?",
                           seconds);
}

Purged purge_expired(core::Db& db) {
  Purged p;
  p.sessions = delete_in_batches(db, "DELETE FROM sessions WHERE expires_at < NOW(6) LIMIT ?");
  p.remember_tokens =
      delete_in_batches(db, "DELETE FROM remember_tokens WHERE expires_at < NOW(6) LIMIT ?");
  p.login_failures = delete_in_batches(
      db, "DELETE FROM login_failures WHERE failed_at < NOW(6) - INTERVAL 1 DAY LIMIT ?");
  p.mail_requests = delete_in_batches(
      db, "DELETE FROM mail_requests WHERE requested_at < NOW(6) - INTERVAL 1 DAY LIMIT ?");
  p.rate_limits = delete_in_batches(
      db, "DELETE FROM rate_limits WHERE window_start < UNIX_TIMESTAMP() - 3600 LIMIT ?");
  return p;
}

}  // namespace inkwell::cli
