#include "models/user.hpp"

#include <algorithm>

#include "core/security.hpp"
#include "models/cached_select.hpp"

namespace inkwell::models {

User read_user_row(sql::ResultSet& rs, int first) {
  User u;
  u.id = rs.getInt64(first);
  u.email = rs.getString(first + 1);
  u.username = rs.getString(first + 2);
  u.role_id = rs.getUInt(first + 3);
  u.role_name = rs.getString(first + 4);
  u.permissions = rs.getUInt(first + 5);
  u.confirmed = rs.getBoolean(first + 6);
  u.name = rs.getString(first + 7);
  u.location = rs.getString(first + 8);
  u.about_me = rs.getString(first + 9);
  u.member_since = rs.getString(first + 10);
  u.last_seen = rs.getString(first + 11);
  u.avatar_hash = rs.getString(first + 12);
  u.post_count = static_cast<long>(rs.getInt64(first + 13));
  u.followers_count = static_cast<long>(rs.getInt64(first + 14));
  u.following_count = static_cast<long>(rs.getInt64(first + 15));
  u.token_version = rs.getUInt(first + 16);
  u.two_factor = rs.getBoolean(first + 17);
  u.disabled = rs.getBoolean(first + 18);
  return u;
}

namespace {

// The statement for one user: kUserColumns, then `extra` (", column"), where.
std::string user_select(std::string_view where, std::string_view extra = "") {
  return std::string(kCachedSelect)
      .append(kUserColumns)
      .append(extra)
      .append(kUserFrom)
      .append(where);
}

std::optional<User> read_user(sql::ResultSet& rs) {
  if (!rs.next()) return std::nullopt;
  return read_user_row(rs);
}

std::optional<std::string> stored_hash(core::Db& db, std::int64_t user_id) {
  auto rs = db.query("SELECT password_hash FROM users WHERE id = ?", user_id);
  if (!rs->next()) return std::nullopt;
  return std::string(rs->getString(1));
}

}  // namespace

std::string normalize_email(std::string_view email) {
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool valid_email(std::string_view email) {
  if (email.empty() || email.size() > kMaxEmailLength) return false;
  std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view domain = email.substr(at + 1);
  std::size_t dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  for (unsigned char c : email) {
    if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']') {
      return false;
    }
  }
  return true;
}

bool valid_username(std::string_view username) {
  if (username.empty() || username.size() > kMaxUsernameLength) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!alpha(username[0])) return false;
  for (char c : username) {
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '_' && c != '.') return false;
  }
  return true;
}

std::string avatar_hash_for(std::string_view email) {
  return security::md5_hex(normalize_email(email));
}

std::optional<User> find_user(core::Db& db, std::int64_t id) {
  static const std::string sql = user_select("WHERE u.id = ?");
  return read_user(*db.query(sql, id));
}

std::optional<User> find_user_by_email(core::Db& db, std::string_view email) {
  static const std::string sql = user_select("WHERE u.email = ?");
  return read_user(*db.query(sql, normalize_email(email)));
}

std::optional<User> find_user_by_username(core::Db& db, std::string_view username) {
  static const std::string sql = user_select("WHERE u.username = ?");
  return read_user(*db.query(sql, username));
}

bool email_taken(core::Db& db, std::string_view email) {
  return db.query("SELECT 1 FROM users WHERE email = ?", normalize_email(email))->next();
}

bool username_taken(core::Db& db, std::string_view username) {
  return db.query("SELECT 1 FROM users WHERE username = ?", username)->next();
}

std::int64_t create_user(core::Db& db, const NewUser& u, std::string_view password_method) {
  std::string email = normalize_email(u.email);
  core::Db::Transaction tx(db);
  db.execute(
      "INSERT INTO users (email, username, role_id, password_hash, confirmed, about_me, "
      "avatar_hash) VALUES (?, ?, (SELECT id FROM roles WHERE "
      "IF(?, name = 'Administrator', is_default) ORDER BY id LIMIT 1), ?, ?, '', ?)",
      email, u.username, u.administrator, security::hash_password(u.password, password_method),
      u.confirmed, avatar_hash_for(email));
  std::int64_t id = db.last_insert_id();
  // Everyone follows themselves: their own posts are in their feed.
  db.execute("INSERT INTO follows (follower_id, followed_id) VALUES (?, ?)", id, id);
  tx.commit();
  return id;
}

PasswordCheck check_password(core::Db& db, std::int64_t user_id, std::string_view password,
                             std::string_view method) {
  PasswordCheck result;
  auto hash = stored_hash(db, user_id);
  if (!hash) {
    check_password_decoy(password, method);
    return result;
  }
  result.ok = security::verify_password(*hash, password);
  result.needs_rehash = result.ok && security::needs_rehash(*hash, method);
  return result;
}

void check_password_decoy(std::string_view password, std::string_view method) {
  static const std::string decoy = security::hash_password("decoy password", method);
  security::verify_password(decoy, password);
}

LoginCheck check_login(std::optional<User> user, std::string_view hash, std::string_view password,
                       std::string_view method) {
  LoginCheck result;
  if (!user) {
    check_password_decoy(password, method);
    return result;
  }
  if (security::verify_password(hash, password)) {
    result.user = std::move(user);
    result.needs_rehash = security::needs_rehash(hash, method);
  }
  return result;
}

void set_password(core::Db& db, std::int64_t user_id, std::string_view password,
                  std::string_view method) {
  db.execute("UPDATE users SET password_hash = ?, token_version = token_version + 1 WHERE id = ?",
             security::hash_password(password, method), user_id);
}

void rehash_password(core::Db& db, std::int64_t user_id, std::string_view password,
                     std::string_view method) {
  db.execute("UPDATE users SET password_hash = ? WHERE id = ?",
             security::hash_password(password, method), user_id);
}

std::optional<unsigned> token_version(core::Db& db, std::int64_t user_id) {
  auto rs = db.query("SELECT token_version FROM users WHERE id = ?", user_id);
  if (!rs->next()) return std::nullopt;
  return rs->getUInt(1);
}

void bump_token_version(core::Db& db, std::int64_t user_id) {
  db.execute("UPDATE users SET token_version = token_version + 1 WHERE id = ?", user_id);
}

void confirm_user(core::Db& db, std::int64_t user_id) {
  db.execute("UPDATE users SET confirmed = TRUE WHERE id = ?", user_id);
}

void change_email(core::Db& db, std::int64_t user_id, std::string_view new_email) {
  std::string email = normalize_email(new_email);
  db.execute(
      "UPDATE users SET email = ?, avatar_hash = ?, confirmed = TRUE, "
      "token_version = token_version + 1 WHERE id = ?",
      email, avatar_hash_for(email), user_id);
}

void set_administrator(core::Db& db, std::int64_t user_id, bool administrator) {
  if (administrator) {
    db.execute(
        "UPDATE users SET role_id = (SELECT id FROM roles WHERE name = 'Administrator') "
        "WHERE id = ?",
        user_id);
  } else {
    db.execute(
        "UPDATE users SET role_id = (SELECT id FROM roles WHERE is_default ORDER BY id LIMIT 1) "
        "WHERE id = ? AND role_id = (SELECT id FROM roles WHERE name = 'Administrator')",
        user_id);
  }
}

void ensure_login_row(core::Db& db, std::int64_t user_id) {
  db.execute(
      "INSERT INTO user_logins (user_id, login_count, current_login_at, current_login_ip, "
      "last_login_at, last_login_ip, login_alert_at) "
      "SELECT id, login_count, current_login_at, current_login_ip, last_login_at, last_login_ip, "
      "login_alert_at FROM users WHERE id = ? ON DUPLICATE KEY UPDATE user_id = user_id",
      user_id);
}

void record_login(core::Db& db, std::int64_t user_id, std::string_view address) {
  // The record moves on: current_* become last_* (assignments run left to
  // right), or its first row starts from the columns of users.
  db.execute(
      "INSERT INTO user_logins (user_id, login_count, current_login_at, current_login_ip, "
      "last_login_at, last_login_ip, login_alert_at) "
      "SELECT id, login_count + 1, NOW(6), ?, current_login_at, current_login_ip, "
      "login_alert_at FROM users WHERE id = ? "
      "ON DUPLICATE KEY UPDATE last_login_at = user_logins.current_login_at, "
      "last_login_ip = user_logins.current_login_ip, current_login_at = NOW(6), "
      "current_login_ip = VALUES(current_login_ip), "
      "login_count = user_logins.login_count + 1",
      address, user_id);
  db.execute(
      "INSERT INTO user_activity (user_id, last_seen) VALUES (?, NOW(6)) "
      "ON DUPLICATE KEY UPDATE last_seen = VALUES(last_seen)",
      user_id);
}

bool record_login_device(core::Db& db, std::int64_t user_id, std::string_view address,
                         std::string_view agent_hash, long days) {
  auto rs = db.query(
      "SELECT last_login_at > NOW(6) - INTERVAL ? DAY FROM login_devices "
      "WHERE user_id = ? AND address = ? AND agent_hash = ?",
      static_cast<std::int64_t>(days), user_id, address, agent_hash);
  bool seen = rs->next() && rs->getBoolean(1);
  db.execute(
      "INSERT INTO login_devices (user_id, address, agent_hash) VALUES (?, ?, ?) "
      "ON DUPLICATE KEY UPDATE last_login_at = NOW(6)",
      user_id, address, agent_hash);
  return !seen;
}

bool wants_new_signin_mail(core::Db& db, std::int64_t user_id) {
  auto rs = db.query("SELECT new_signin_mail FROM users WHERE id = ?", user_id);
  return rs->next() && rs->getBoolean(1);
}

void set_new_signin_mail(core::Db& db, std::int64_t user_id, bool on) {
  db.execute("UPDATE users SET new_signin_mail = ? WHERE id = ?", on, user_id);
}

LoginRecord login_record(core::Db& db, std::int64_t user_id) {
  // The row of user_logins, or before the user's first login since
  // migration 0016 the columns of users.
  auto rs = db.query(
      "SELECT COALESCE(DATE_FORMAT(IF(l.user_id IS NULL, u.current_login_at, l.current_login_at), "
      "'%Y-%m-%dT%H:%i:%sZ'), ''), "
      "COALESCE(IF(l.user_id IS NULL, u.current_login_ip, l.current_login_ip), ''), "
      "COALESCE(DATE_FORMAT(IF(l.user_id IS NULL, u.last_login_at, l.last_login_at), "
      "'%Y-%m-%dT%H:%i:%sZ'), ''), "
      "COALESCE(IF(l.user_id IS NULL, u.last_login_ip, l.last_login_ip), ''), "
      "IF(l.user_id IS NULL, u.login_count, l.login_count) "
      "FROM users u LEFT JOIN user_logins l ON l.user_id = u.id WHERE u.id = ?",
      user_id);
  LoginRecord r;
  if (rs->next()) {
    r.current_at = rs->getString(1);
    r.current_ip = rs->getString(2);
    r.last_at = rs->getString(3);
    r.last_ip = rs->getString(4);
    r.count = static_cast<long>(rs->getInt64(5));
  }
  return r;
}

core::Identity identity_of(const User& u) {
  return core::Identity{u.id, u.username, u.email, u.permissions, u.confirmed};
}

std::vector<Role> all_roles(core::Db& db) {
  std::vector<Role> roles;
  auto rs = db.query("SELECT id, name, permissions FROM roles ORDER BY permissions, id");
  while (rs->next()) roles.push_back({rs->getUInt(1), rs->getString(2), rs->getUInt(3)});
  return roles;
}

void update_profile(core::Db& db, std::int64_t user_id, std::string_view name,
                    std::string_view location, std::string_view about_me) {
  db.execute("UPDATE users SET name = ?, location = ?, about_me = ? WHERE id = ?", name, location,
             about_me, user_id);
}

void update_account(core::Db& db, std::int64_t user_id, std::string_view email,
                    std::string_view username, bool confirmed, unsigned role_id) {
  std::string normalized = normalize_email(email);
  db.execute(
      "UPDATE users SET token_version = token_version + (email <> ?), email = ?, avatar_hash = ?, "
      "username = ?, confirmed = ?, role_id = ? WHERE id = ?",
      normalized, normalized, avatar_hash_for(normalized), username, confirmed, role_id, user_id);
}

}  // namespace inkwell::models
