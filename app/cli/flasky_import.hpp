// Importing a Flasky database (`inkwell import-flasky`): the rows as read
// from Flasky's tables (cli/import_flasky.cpp reads its SQLite file), and
// their validation, mapping and bulk insertion into our database in one
// transaction.
//
// What is kept, changed and refused:
// - Roles are mapped by name to ours (User, Moderator, Administrator, or any
//   other role of ours with the same name); an unknown name, a missing role
//   or none gives our default role.
// - Users get new ids; posts, comments and follows refer to them through the
//   map. Emails are lower-cased, avatar hashes recomputed, NULL name,
//   location and about_me become ''. Password hashes are kept exactly as
//   stored (Werkzeug strings verify and are rehashed on the next login). A
//   user is skipped, with everything of theirs, when the email or username
//   breaks our rules or is already taken here (or by an earlier user of the
//   same import, emails compared case-insensitively).
// - body_html is re-rendered from body (Flasky's stored HTML is not trusted).
//   A post or comment too long for our columns is skipped, as are rows whose
//   author or post was not imported.
// - Follows between imported users are kept; every imported user gets their
//   self-follow row exactly once (Flasky's own self-follow only gives its
//   timestamp).
// - Text that is not valid UTF-8 (or holds NUL bytes) is repaired with
//   U+FFFD; name and location are cut to 64 characters and about_me to 65535
//   bytes; missing or unreadable timestamps become the time of the import
//   (last_seen: member_since). Each of these is counted in the report.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/db.hpp"

namespace inkwell::models {

// Flasky's rows, as stored (NULL = nullopt). Timestamps are SQLite text,
// "2024-05-01 12:34:56.123456" (naive UTC).
struct FlaskyRole {
  std::int64_t id = 0;
  std::optional<std::string> name;
};
struct FlaskyUser {
  std::int64_t id = 0;
  std::optional<std::string> email, username, password_hash;
  std::optional<std::int64_t> role_id;
  bool confirmed = false;
  std::optional<std::string> name, location, about_me, member_since, last_seen;
};
struct FlaskyPost {
  std::int64_t id = 0;
  std::optional<std::string> body, timestamp;
  std::optional<std::int64_t> author_id;
};
struct FlaskyFollow {
  std::optional<std::int64_t> follower_id, followed_id;
  std::optional<std::string> timestamp;
};
struct FlaskyComment {
  std::int64_t id = 0;
  std::optional<std::string> body, timestamp;
  bool disabled = false;
  std::optional<std::int64_t> author_id, post_id;
};
struct FlaskyData {
  std::vector<FlaskyRole> roles;
  std::vector<FlaskyUser> users;  // in id order
  std::vector<FlaskyPost> posts;  // in id order
  std::vector<FlaskyFollow> follows;
  std::vector<FlaskyComment> comments;  // in id order
};

struct FlaskyImportReport {
  struct RoleMapping {
    std::string flasky_role;  // "(none)" for users without a known role
    std::string our_role;
    bool defaulted = false;  // no role of ours has that name
    long users = 0;          // imported users given our_role through it
  };
  struct SkippedUser {
    std::int64_t flasky_id = 0;
    std::string username, email;  // as stored in Flasky
    std::string reason;
  };
  std::vector<RoleMapping> roles;
  long users = 0;
  std::vector<SkippedUser> skipped_users;
  long posts = 0;
  long follows = 0;       // besides the self-follows
  long self_follows = 0;  // one per imported user
  long comments = 0;
  long disabled_comments = 0;
  // Rows left out, by reason ("author not imported", "too long", ...).
  std::map<std::string, long> skipped_posts, skipped_follows, skipped_comments;
  // Repairs (see above).
  long unverifiable_passwords = 0;  // hashes no login can match: reset needed
  long repaired_texts = 0;          // invalid UTF-8 or NUL bytes replaced
  long truncated_texts = 0;
  long defaulted_timestamps = 0;
  double seconds = 0;
  bool committed = false;  // false for a dry run
};

// Imports data in one transaction: all or nothing. With dry_run everything
// is done and checked the same way, then rolled back (InnoDB does not give
// back the AUTO_INCREMENT values the inserts used: later ids leave a gap).
// Throws std::runtime_error when our database has no default role and
// sql::SQLException when the database refuses (nothing is then changed).
FlaskyImportReport import_flasky(core::Db& db, const FlaskyData& data, bool dry_run);

}  // namespace inkwell::models
