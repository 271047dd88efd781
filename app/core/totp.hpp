// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1,
// 30-second steps, 6 digits, as authenticator apps use them; and the RFC
// 4648 base32 that carries their secrets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace inkwell::totp {

inline constexpr std::int64_t kStepSeconds = 30;
inline constexpr int kDigits = 6;

// RFC 4648 base32, upper case, without padding (as in otpauth:// URIs).
std::string base32_encode(std::string_view raw);
// Accepts upper or lower case, spaces and padding; nullopt for anything else.
std::optional<std::string> base32_decode(std::string_view text);

// The time step of a unix time.
std::int64_t step_of(std::int64_t unix_seconds);
// The code for a step, zero-padded to `digits`.
std::string code_at(std::string_view secret, std::int64_t step, int digits = kDigits);

// The step within ±1 of now_step whose code is `code` and which is later
// than last_used_step (a code works once), or nullopt. Constant-time compare.
std::optional<std::int64_t> matching_step(std::string_view secret, std::string_view code,
                                          std::int64_t now_step, std::int64_t last_used_step);

// otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace inkwell::totp
