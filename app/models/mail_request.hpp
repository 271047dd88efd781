// Mail that anyone can ask for (password reset, a new confirmation link, a
// change of email): each request is recorded, so that the limits can count
// them per target address, per account and per client address.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/db.hpp"

namespace inkwell::models {

struct MailRequestCounts {
  long target = 0;   // to this address
  long account = 0;  // for this account (0 without one)
  long address = 0;  // from this client address
};

// Requests of this kind in the last window_seconds.
MailRequestCounts recent_mail_requests(core::Db& db, std::string_view kind, std::string_view target,
                                       std::optional<std::int64_t> user_id,
                                       std::string_view address, long window_seconds);
void record_mail_request(core::Db& db, std::string_view kind, std::string_view target,
                         std::optional<std::int64_t> user_id, std::string_view address);

}  // namespace inkwell::models
