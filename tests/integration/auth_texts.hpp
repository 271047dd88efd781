// The site's texts that tests compare with: mail subjects and flash
// messages, exactly as users see them.
#pragma once

#include <string>

namespace itest::texts {

inline const std::string kConfirmSubject = "[Inkwell] Confirm Your Account";
inline const std::string kResetSubject = "[Inkwell] Reset Your Password";
inline const std::string kChangeEmailSubject = "[Inkwell] Confirm your email address";
inline const std::string kResent = "A new confirmation email has been sent to you by email.";
inline const std::string kConfirmed = "You have confirmed your account. Thanks!";
inline const std::string kBadConfirm = "The confirmation link is invalid or has expired.";
inline const std::string kResetSent =
    "An email with instructions to reset your password has been sent to you.";
inline const std::string kBadReset = "The password reset link is invalid or has expired.";
inline const std::string kChangeEmailSent =
    "An email with instructions to confirm your new email address has been sent to you.";
inline const std::string kEmailUpdated = "Your email address has been updated.";

}  // namespace itest::texts
