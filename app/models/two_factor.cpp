#include "models/two_factor.hpp"

namespace inkwell::models {

TwoFactor two_factor_of(core::Db& db, std::int64_t user_id) {
  auto rs = db.query(
      "SELECT COALESCE(totp_secret, ''), COALESCE(totp_pending, ''), totp_last_step, "
      "(SELECT COUNT(*) FROM recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL) "
      "FROM users u WHERE u.id = ?",
      user_id);
  TwoFactor t;
  if (rs->next()) {
    t.secret_box = rs->getString(1);
    t.pending_box = rs->getString(2);
    t.last_step = rs->getInt64(3);
    t.recovery_codes_left = static_cast<long>(rs->getInt64(4));
  }
  return t;
}

void set_pending_totp(core::Db& db, std::int64_t user_id, std::string_view box) {
  db.execute("UPDATE users SET totp_pending = ? WHERE id = ?", box, user_id);
}

void enable_totp(core::Db& db, std::int64_t user_id, std::int64_t step,
                 const std::vector<std::string>& code_hashes) {
  core::Db::Transaction tx(db);
  db.execute(
      "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = ? "
      "WHERE id = ? AND totp_pending IS NOT NULL",
      step, user_id);
  db.execute("DELETE FROM recovery_codes WHERE user_id = ?", user_id);
  for (const std::string& hash : code_hashes) {
    db.execute("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", user_id, hash);
  }
  tx.commit();
}

void disable_totp(core::Db& db, std::int64_t user_id) {
  core::Db::Transaction tx(db);
  db.execute(
      "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = 0 WHERE id = ?",
      user_id);
  db.execute("DELETE FROM recovery_codes WHERE user_id = ?", user_id);
  tx.commit();
}

bool claim_totp_step(core::Db& db, std::int64_t user_id, std::int64_t step) {
  return db.execute("UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step,
                    user_id, step) == 1;
}

bool use_recovery_code(core::Db& db, std::int64_t user_id, std::string_view code_hash) {
  return db.execute(
             "UPDATE recovery_codes SET used_at = NOW(6) "
             "WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
             user_id, code_hash) == 1;
}

}  // namespace inkwell::models
