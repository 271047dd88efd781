#include "auth/mail_limits.hpp"

#include "models/mail_request.hpp"
#include "models/user.hpp"

namespace inkwell::auth {

bool allow_mail_request(core::Context& ctx, std::string_view kind, std::string_view target_in,
                        std::optional<std::int64_t> user_id) {
  const std::string target = models::normalize_email(target_in);
  const std::string& address = ctx.req.remote_addr;
  models::MailRequestCounts c = models::recent_mail_requests(ctx.db, kind, target, user_id, address,
                                                             kMailRequestWindowSeconds);
  if (c.target >= kMailRequestsPerWindow || c.account >= kMailRequestsPerWindow ||
      c.address >= kMailRequestsPerWindow) {
    return false;
  }
  models::record_mail_request(ctx.db, kind, target, user_id, address);
  return true;
}

}  // namespace inkwell::auth
