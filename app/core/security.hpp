// Security primitives: OS randomness, constant-time comparison, digests,
// Werkzeug-compatible password hashes and signed, expiring tokens.
// Everything here is stateless and safe to call from any worker.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace inkwell::security {

// ---- randomness (straight from the operating system) ----

// n bytes from the OS random source.
std::string random_bytes(std::size_t n);
// `bytes` random bytes as URL-safe base64 without padding ('-' and '_', no '=').
std::string random_token(std::size_t bytes = 32);
// `chars` characters drawn uniformly from [A-Za-z0-9] (Werkzeug's gen_salt).
std::string random_salt(std::size_t chars = 16);

// ---- comparison and digests ----

// Constant-time for equal lengths; different lengths return false at once
// (only the length leaks).
bool constant_time_equals(std::string_view a, std::string_view b);

// Lower-case hex digests.
std::string sha256_hex(std::string_view data);
std::string md5_hex(std::string_view data);
// Raw 32-byte HMAC-SHA256 of data under key.
std::string hmac_sha256(std::string_view key, std::string_view data);

// URL-safe base64 without padding, and its strict inverse: only the
// alphabet [A-Za-z0-9_-] in canonical form is accepted, otherwise nullopt.
std::string base64url_encode(std::string_view data);
std::optional<std::string> base64url_decode(std::string_view text);
// Standard base64 with padding (as in HTTP Basic credentials); nullopt for
// anything else.
std::optional<std::string> base64_decode(std::string_view text);

// ---- Werkzeug password hashes ----
//
// Stored format: METHOD$SALT$HEX, METHOD being one of
//   pbkdf2:sha256:ITER, pbkdf2:sha1:ITER, pbkdf2:sha512:ITER  (HEX = digest-size key)
//   scrypt:N:R:P                                              (HEX = 64-byte key)
// A method given to hash_password may also be abbreviated as Werkzeug allows:
// "pbkdf2" = "pbkdf2:sha256" = "pbkdf2:sha256:600000" and
// "scrypt" = "scrypt:32768:8:1". The salt is used as its ASCII characters.

// Iterations Werkzeug (2.3 / 3.0) uses when a pbkdf2 method omits them.
inline constexpr std::uint32_t kDefaultPbkdf2Iterations = 600000;

// True when method is a supported method with sane parameters: pbkdf2
// iterations 1..1,000,000; scrypt N a power of two >= 2 (and < 2^(16r)),
// r 1..32, p 1..16, 128*N*r*p <= 128 MiB. The same bounds apply to stored
// hashes, so no hash string can make one verification cost more than about
// four times Werkzeug's defaults (a stored hash beyond them never verifies).
bool valid_password_method(std::string_view method);

// Hashes with a fresh random_salt(16). Throws std::invalid_argument when the
// method is not valid_password_method.
std::string hash_password(std::string_view password, std::string_view method);

// True when password matches the stored hash. A malformed or unsupported
// stored string gives false; never throws.
bool verify_password(std::string_view stored_hash, std::string_view password);

// True when the stored hash was made with another method or other parameters
// than `method` (compared after expanding abbreviations), or is malformed.
// Throws std::invalid_argument when `method` itself is invalid.
bool needs_rehash(std::string_view stored_hash, std::string_view method);

// ---- signed tokens (confirm, reset, change email, API) ----
//
// token = base64url(payload) "." base64url(HMAC-SHA256(secret, purpose "\n" payload))
// payload = USER_ID "|" EXPIRES_AT "|" base64url(extra)

struct TokenData {
  std::int64_t user_id;
  std::int64_t expires_at;  // unix seconds
  std::string extra;
};

// Throws std::invalid_argument when secret is empty.
std::string make_token(std::string_view secret, std::string_view purpose, std::int64_t user_id,
                       std::int64_t expires_at_unix, std::string_view extra = "");

// The token's data when its signature is valid for secret and purpose and
// now_unix < expires_at; nullopt for anything else. Never throws.
std::optional<TokenData> verify_token(std::string_view secret, std::string_view purpose,
                                      std::string_view token, std::int64_t now_unix);

}  // namespace inkwell::security
