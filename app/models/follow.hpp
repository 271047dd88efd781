// Follows (SPEC §4). Everyone follows themselves; that row is never listed
// nor counted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"
#include "models/user.hpp"

namespace inkwell::models {

bool is_following(core::Db& db, std::int64_t follower_id, std::int64_t followed_id);
// Both return false when there was nothing to change; counters move in the
// same transaction.
bool follow(core::Db& db, std::int64_t follower_id, std::int64_t followed_id);
bool unfollow(core::Db& db, std::int64_t follower_id, std::int64_t followed_id);

struct FollowEntry {
  std::int64_t user_id = 0;
  std::string username;
  std::string avatar_hash;
  std::string timestamp;  // when the follow began, "YYYY-MM-DDTHH:MM:SSZ"
};
// Newest first; counts are users.followers_count / following_count.
std::vector<FollowEntry> followers_of(core::Db& db, std::int64_t user_id, long limit, long offset);
std::vector<FollowEntry> followed_by(core::Db& db, std::int64_t user_id, long limit, long offset);

// A user (by username) and a page of their followers (or of those they
// follow) in one statement. nullopt when there is no such user.
struct UserFollows {
  User user;
  std::vector<FollowEntry> entries;
};
std::optional<UserFollows> user_follows_page(core::Db& db, std::string_view username,
                                             bool followers, long limit, long offset);

}  // namespace inkwell::models
