// Users and roles (SPEC §2). The password is write-only: there is no way to
// read a hash back, only to set one and to check a candidate against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.hpp"
#include "core/db.hpp"

namespace inkwell::models {

namespace permission {
inline constexpr unsigned kFollow = 1;
inline constexpr unsigned kComment = 2;
inline constexpr unsigned kWrite = 4;
inline constexpr unsigned kModerate = 8;
inline constexpr unsigned kAdmin = 16;
}  // namespace permission

struct User {
  std::int64_t id = 0;
  std::string email;
  std::string username;
  unsigned role_id = 0;
  std::string role_name;
  unsigned permissions = 0;
  bool confirmed = false;
  std::string name;
  std::string location;
  std::string about_me;
  std::string member_since;  // "YYYY-MM-DDTHH:MM:SSZ" (UTC)
  std::string last_seen;
  std::string avatar_hash;
  long post_count = 0;
  long followers_count = 0;  // self excluded
  long following_count = 0;  // self excluded
  // Carried by every signed token of the user; a token with an older number
  // is refused (see bump_token_version).
  unsigned token_version = 0;
  bool two_factor = false;  // a second factor is needed after the password
  bool disabled = false;    // by an operator: no login of any kind
};

// What the request pipeline keeps of a user.
core::Identity identity_of(const User& u);

struct Role {
  unsigned id = 0;
  std::string name;
  unsigned permissions = 0;
};
std::vector<Role> all_roles(core::Db& db);

struct NewUser {
  std::string email;  // any case: stored lower-case
  std::string username;
  std::string password;
  bool confirmed = false;
  bool administrator = false;  // else the default role
};

std::string normalize_email(std::string_view email);
// Input rules (SPEC §2): a plausible address of at most 64 characters, and
// ^[A-Za-z][A-Za-z0-9_.]*$ of at most 64 for usernames.
// The longest email and username (bytes; the columns are VARCHAR(64)).
inline constexpr std::size_t kMaxEmailLength = 64;
inline constexpr std::size_t kMaxUsernameLength = 64;
bool valid_email(std::string_view email);
bool valid_username(std::string_view username);
std::string avatar_hash_for(std::string_view email);

std::optional<User> find_user(core::Db& db, std::int64_t id);
std::optional<User> find_user_by_email(core::Db& db, std::string_view email);
std::optional<User> find_user_by_username(core::Db& db, std::string_view username);

// For another model's statement that reads a user with its own rows: a
// user's columns (of users u joined with roles r in kUserFrom; kUserColumnCount
// of them, ending with a space) and their reader (the current row, from
// column `first` on).
inline constexpr std::string_view kUserColumns =
    "u.id, u.email, u.username, u.role_id, r.name, r.permissions, u.confirmed, u.name, "
    "u.location, u.about_me, DATE_FORMAT(u.member_since, '%Y-%m-%dT%H:%i:%sZ'), "
    "DATE_FORMAT(GREATEST(u.last_seen, COALESCE(a.last_seen, u.last_seen)), "
    "'%Y-%m-%dT%H:%i:%sZ'), u.avatar_hash, u.post_count, "
    "u.followers_count, u.following_count, u.token_version, u.totp_secret IS NOT NULL, "
    "u.disabled_at IS NOT NULL ";
// The tables of kUserColumns, and "FROM " with them. A sight of the user is
// in user_activity (migration 0015), a login in users.last_seen: the later
// of the two is when the user was last seen.
inline constexpr std::string_view kUserTables =
    "users u JOIN roles r ON r.id = u.role_id LEFT JOIN user_activity a ON a.user_id = u.id ";
inline constexpr std::string_view kUserFrom =
    "FROM users u JOIN roles r ON r.id = u.role_id LEFT JOIN user_activity a ON a.user_id = u.id ";
static_assert(kUserFrom.substr(5) == kUserTables);
constexpr int kUserColumnCount = 19;
User read_user_row(sql::ResultSet& rs, int first = 1);
bool email_taken(core::Db& db, std::string_view email);
bool username_taken(core::Db& db, std::string_view username);

// Inserts the user with a new hash of the password made by method; returns
// the id. A duplicate email or username throws sql::SQLException (1062).
std::int64_t create_user(core::Db& db, const NewUser& u, std::string_view password_method);

struct PasswordCheck {
  bool ok = false;
  bool needs_rehash = false;  // made by another method or weaker parameters
};
PasswordCheck check_password(core::Db& db, std::int64_t user_id, std::string_view password,
                             std::string_view method);
// Spends the time of a real check, for unknown accounts (no timing oracle).
void check_password_decoy(std::string_view password, std::string_view method);
// A password against an account found by its email (read_login_attempt,
// models/login): the user when it matches (no account takes as long as a
// wrong password), and whether the stored hash should be upgraded.
struct LoginCheck {
  std::optional<User> user;  // set only when the password is right
  bool needs_rehash = false;
};
LoginCheck check_login(std::optional<User> user, std::string_view hash, std::string_view password,
                       std::string_view method);

// A new password also ends every token issued before it (bump_token_version).
void set_password(core::Db& db, std::int64_t user_id, std::string_view password,
                  std::string_view method);
// Stores a new hash of the same password (an upgraded method): tokens live on.
void rehash_password(core::Db& db, std::int64_t user_id, std::string_view password,
                     std::string_view method);

// The user's current token version; nullopt when there is no such user.
std::optional<unsigned> token_version(core::Db& db, std::int64_t user_id);
// Every reset, change-email, confirmation and API token issued so far stops
// working ("log out everywhere", and with each password or email change).
void bump_token_version(core::Db& db, std::int64_t user_id);

void confirm_user(core::Db& db, std::int64_t user_id);
// The new address, proven by a link sent to it: it also confirms the account
// and ends every earlier token.
void change_email(core::Db& db, std::int64_t user_id, std::string_view new_email);
// Gives the Administrator role, or takes it back (to the default role); any
// other role is left as it is by a take-back.
void set_administrator(core::Db& db, std::int64_t user_id, bool administrator);

// Trackable logins (form logins only): the current one becomes the last.
struct LoginRecord {
  std::string current_at, current_ip;  // "" when never
  std::string last_at, last_ip;
  long count = 0;
};
// The record is in user_logins (migration 0016), not users: a write to users
// would drop every cached statement that reads a user. A user's row there
// starts as the columns of users held it (ensure_login_row).
void ensure_login_row(core::Db& db, std::int64_t user_id);
// Counts a login and moves current_* to last_*; the user is seen now
// (user_activity). Its writes lock the user's login row until the
// transaction ends (a login's first step: see auth::log_in).
void record_login(core::Db& db, std::int64_t user_id, std::string_view address);
LoginRecord login_record(core::Db& db, std::int64_t user_id);

// New sign-in mail. Records a login from (address, browser) and says
// whether it is new: neither it nor anything in the last `days` days.
bool record_login_device(core::Db& db, std::int64_t user_id, std::string_view address,
                         std::string_view agent_hash, long days);
bool wants_new_signin_mail(core::Db& db, std::int64_t user_id);
void set_new_signin_mail(core::Db& db, std::int64_t user_id, bool on);

// Profile fields a user edits themselves.
void update_profile(core::Db& db, std::int64_t user_id, std::string_view name,
                    std::string_view location, std::string_view about_me);
// What an administrator may also change. Duplicate email/username → 1062. A
// changed email ends the user's earlier tokens.
void update_account(core::Db& db, std::int64_t user_id, std::string_view email,
                    std::string_view username, bool confirmed, unsigned role_id);

}  // namespace inkwell::models
