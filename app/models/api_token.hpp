// Personal API tokens: named, stored as a hash of the secret, optionally
// expiring. Each carries the token version it was made under, so a password
// or email change or "log out everywhere" ends them with every other token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"

namespace inkwell::models {

struct ApiToken {
  std::int64_t id = 0;
  std::string name;
  std::string created_at;    // "YYYY-MM-DDTHH:MM:SSZ"
  std::string last_used_at;  // "" when never
  std::string expires_at;    // "" when never
};

// expires_days 0 = never. Returns the new token's id.
std::int64_t create_api_token(core::Db& db, std::int64_t user_id, std::string_view name,
                              std::string_view token_hash, long expires_days);
// The user's live tokens (unexpired, made under the current version), newest first.
std::vector<ApiToken> list_api_tokens(core::Db& db, std::int64_t user_id);
// False when the user has no such token.
bool revoke_api_token(core::Db& db, std::int64_t user_id, std::int64_t id);
// The owner of the live token with this hash; marks it used (at most once a minute).
std::optional<std::int64_t> use_api_token(core::Db& db, std::string_view token_hash);

}  // namespace inkwell::models
