// Limits on mail that anyone can ask for, so that no one can flood a
// mailbox or use the site to send mail in bulk: a few of each kind per
// target address, per account and per client address in a window. The
// counts do not depend on whether an account exists, so a refusal tells
// nothing about it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/context.hpp"

namespace inkwell::auth {

inline constexpr std::string_view kResetMail = "reset";
inline constexpr std::string_view kConfirmMail = "confirm";
inline constexpr std::string_view kChangeEmailMail = "change_email";

inline constexpr long kMailRequestWindowSeconds = 15 * 60;
inline constexpr long kMailRequestsPerWindow = 3;  // per target, account and address alike

inline constexpr std::string_view kTooManyMailRequests =
    "Too many email requests. Please wait a few minutes and try again.";

// Records the request and returns true when it is within the limits;
// false (nothing recorded, nothing to send) otherwise.
bool allow_mail_request(core::Context& ctx, std::string_view kind, std::string_view target,
                        std::optional<std::int64_t> user_id);

}  // namespace inkwell::auth
