// Two-factor login state of a user: the sealed TOTP secret (and one being
// set up), the last time step used, and hashed one-time recovery codes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"

namespace inkwell::models {

struct TwoFactor {
  std::string secret_box;   // "" when two-factor is off
  std::string pending_box;  // a secret shown at setup, not confirmed yet
  std::int64_t last_step = 0;
  long recovery_codes_left = 0;
  bool enabled() const { return !secret_box.empty(); }
};
TwoFactor two_factor_of(core::Db& db, std::int64_t user_id);

void set_pending_totp(core::Db& db, std::int64_t user_id, std::string_view box);
// The pending secret becomes the secret (its first code used at `step`);
// the recovery codes are replaced by these hashes.
void enable_totp(core::Db& db, std::int64_t user_id, std::int64_t step,
                 const std::vector<std::string>& code_hashes);
void disable_totp(core::Db& db, std::int64_t user_id);
// Atomically moves the last used step forward to `step`; false when it was
// not before it (the code was used already, by this request or another).
bool claim_totp_step(core::Db& db, std::int64_t user_id, std::int64_t step);
// Marks the unused recovery code with this hash used; false when none.
bool use_recovery_code(core::Db& db, std::int64_t user_id, std::string_view code_hash);

}  // namespace inkwell::models
