#include "models/follow.hpp"

#include "models/cached_select.hpp"
#include "models/feed.hpp"
#include "models/procedure_call.hpp"

namespace inkwell::models {
namespace {

// Locks both users' rows (in primary-key order, so two follows never wait on
// each other in a cycle) before the follows row is touched: the foreign-key
// check of the insert would otherwise take shared locks on them that the
// counter updates then have to upgrade, a classic deadlock between two
// people following the same user at once. True when both users exist.
bool lock_pair(core::Db& db, std::int64_t a, std::int64_t b) {
  auto rs = db.query("SELECT id FROM users WHERE id IN (?, ?) ORDER BY id FOR UPDATE", a, b);
  int found = 0;
  while (rs->next()) ++found;
  return found == 2;
}

// One page of one list of a user's follows, newest first, without the self
// row: the users on the `listed` side of the follows whose `of` side is the
// user whose id `user_id` gives (SQL), joined with their names. With
// `sort_keys`, the keys it is sorted by come too (sort_time, sort_id), for a
// statement that takes it as a derived table.
std::string follow_list_sql(std::string_view of, std::string_view listed, std::string_view user_id,
                            bool sort_keys) {
  const std::string f_of = "f." + std::string(of), f_listed = "f." + std::string(listed);
  std::string q =
      "u.id, u.username, u.avatar_hash, DATE_FORMAT(f.timestamp, '%Y-%m-%dT%H:%i:%sZ') ";
  if (sort_keys) q += ", f.timestamp AS sort_time, " + f_listed + " AS sort_id ";
  return q + "FROM follows f JOIN users u ON u.id = " + f_listed + " WHERE " + f_of + " = " +
         std::string(user_id) + " AND " + f_listed + " <> " + f_of +
         " ORDER BY f.timestamp DESC, " + f_listed + " DESC LIMIT ? OFFSET ?";
}
constexpr std::string_view kFollowers[] = {"followed_id", "follower_id"};
constexpr std::string_view kFollowed[] = {"follower_id", "followed_id"};

FollowEntry read_entry(sql::ResultSet& rs, int first = 1) {
  FollowEntry e;
  e.user_id = rs.getInt64(first);
  e.username = rs.getString(first + 1);
  e.avatar_hash = rs.getString(first + 2);
  e.timestamp = rs.getString(first + 3);
  return e;
}

std::vector<FollowEntry> read_entries(sql::ResultSet& rs) {
  std::vector<FollowEntry> out;
  while (rs.next()) out.push_back(read_entry(rs));
  return out;
}

// The user's row (kUserColumns) with a page of one of the lists (sides
// `of`, `listed`) as a derived table, the user found by username.
std::string user_with_list_sql(const std::string_view (&sides)[2]) {
  const std::string inner =
      follow_list_sql(sides[0], sides[1], "(SELECT id FROM users WHERE username = ?)", true);
  return std::string(kCachedSelect)
      .append(kUserColumns)
      .append(", k.* ")
      .append(kUserFrom)
      .append("LEFT JOIN (SELECT ")
      .append(inner)
      .append(") AS k ON TRUE WHERE u.username = ? ORDER BY k.sort_time DESC, k.sort_id DESC");
}

}  // namespace

bool is_following(core::Db& db, std::int64_t follower_id, std::int64_t followed_id) {
  return db
      .query("SELECT 1 FROM follows WHERE follower_id = ? AND followed_id = ?", follower_id,
             followed_id)
      ->next();
}

namespace {

// The statements of sql/migrations/0013_write_procedures.sql's inkwell_follow
// and inkwell_unfollow, one round trip each (change both together): when
// the procedures cannot be called, or inside a caller's transaction.
bool follow_statements(core::Db& db, std::int64_t follower_id, std::int64_t followed_id) {
  core::Db::Transaction tx(db);
  if (!lock_pair(db, follower_id, followed_id)) return false;
  if (db.execute("INSERT IGNORE INTO follows (follower_id, followed_id) VALUES (?, ?)", follower_id,
                 followed_id) == 0) {
    return false;  // already following
  }
  // Both counters in one statement: both rows are locked already (lock_pair).
  db.execute(
      "UPDATE users SET following_count = following_count + (id = ?), "
      "followers_count = followers_count + (id = ?) WHERE id IN (?, ?)",
      follower_id, followed_id, follower_id, followed_id);
  add_author_to_feed(db, follower_id, followed_id);
  tx.commit();
  return true;
}

bool unfollow_statements(core::Db& db, std::int64_t follower_id, std::int64_t followed_id) {
  core::Db::Transaction tx(db);
  if (!lock_pair(db, follower_id, followed_id)) return false;
  if (db.execute("DELETE FROM follows WHERE follower_id = ? AND followed_id = ?", follower_id,
                 followed_id) == 0) {
    return false;  // was not following
  }
  // Both counters in one statement, as in follow(); never below zero, even
  // if a counter had drifted (the columns are unsigned).
  db.execute(
      "UPDATE users SET "
      "following_count = IF(id = ? AND following_count > 0, following_count - 1, "
      "following_count), "
      "followers_count = IF(id = ? AND followers_count > 0, followers_count - 1, "
      "followers_count) WHERE id IN (?, ?)",
      follower_id, followed_id, follower_id, followed_id);
  remove_author_from_feed(db, follower_id, followed_id);
  tx.commit();
  return true;
}

}  // namespace

bool follow(core::Db& db, std::int64_t follower_id, std::int64_t followed_id) {
  if (follower_id == followed_id) return false;  // the self row is never touched here
  static StoredProcedure procedure{"CALL inkwell_follow(?, ?)"};
  if (auto wrote = call_procedure(db, procedure, follower_id, followed_id)) return *wrote;
  return follow_statements(db, follower_id, followed_id);
}

bool unfollow(core::Db& db, std::int64_t follower_id, std::int64_t followed_id) {
  if (follower_id == followed_id) return false;
  static StoredProcedure procedure{"CALL inkwell_unfollow(?, ?)"};
  if (auto wrote = call_procedure(db, procedure, follower_id, followed_id)) return *wrote;
  return unfollow_statements(db, follower_id, followed_id);
}

std::vector<FollowEntry> followers_of(core::Db& db, std::int64_t user_id, long limit, long offset) {
  static const std::string q =
      std::string(kCachedSelect) + follow_list_sql(kFollowers[0], kFollowers[1], "?", false);
  return read_entries(
      *db.query(q, user_id, static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset)));
}

std::vector<FollowEntry> followed_by(core::Db& db, std::int64_t user_id, long limit, long offset) {
  static const std::string q =
      std::string(kCachedSelect) + follow_list_sql(kFollowed[0], kFollowed[1], "?", false);
  return read_entries(
      *db.query(q, user_id, static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset)));
}

std::optional<UserFollows> user_follows_page(core::Db& db, std::string_view username,
                                             bool followers, long limit, long offset) {
  static const std::string followers_q = user_with_list_sql(kFollowers);
  static const std::string followed_q = user_with_list_sql(kFollowed);
  auto rs = db.query(followers ? followers_q : followed_q, username,
                     static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset), username);
  if (!rs->next()) return std::nullopt;
  UserFollows out{read_user_row(*rs), {}};
  constexpr int kFirstEntry = kUserColumnCount + 1;
  do {
    if (!rs->isNull(kFirstEntry)) out.entries.push_back(read_entry(*rs, kFirstEntry));
  } while (rs->next());
  return out;
}

}  // namespace inkwell::models
