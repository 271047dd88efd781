#include "models/mail_request.hpp"

namespace inkwell::models {

MailRequestCounts recent_mail_requests(core::Db& db, std::string_view kind, std::string_view target,
                                       std::optional<std::int64_t> user_id,
                                       std::string_view address, long window_seconds) {
  auto seconds = static_cast<std::int64_t>(window_seconds);
  // A missing account counts nothing: user_id = -1 matches no row.
  std::int64_t account = user_id.value_or(-1);
  auto rs = db.query(
      "SELECT (SELECT COUNT(*) FROM mail_requests WHERE kind = ? AND target = ? AND "
      "requested_at > NOW(6) - INTERVAL ? SECOND), "
      "(SELECT COUNT(*) FROM mail_requests WHERE kind = ? AND user_id = ? AND "
      "requested_at > NOW(6) - INTERVAL ? SECOND), "
      "(SELECT COUNT(*) FROM mail_requests WHERE kind = ? AND address = ? AND "
      "requested_at > NOW(6) - INTERVAL ? SECOND)",
      kind, target, seconds, kind, account, seconds, kind, address, seconds);
  MailRequestCounts c;
  if (rs->next()) {
    c.target = static_cast<long>(rs->getInt64(1));
    c.account = static_cast<long>(rs->getInt64(2));
    c.address = static_cast<long>(rs->getInt64(3));
  }
  return c;
}

void record_mail_request(core::Db& db, std::string_view kind, std::string_view target,
                         std::optional<std::int64_t> user_id, std::string_view address) {
  db.execute("INSERT INTO mail_requests (kind, target, user_id, address) VALUES (?, ?, ?, ?)", kind,
             target, user_id, address);
}

}  // namespace inkwell::models
