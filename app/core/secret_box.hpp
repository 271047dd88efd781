// Secrets stored encrypted at rest (two-factor secrets): AES-256-GCM under a
// key derived from INKWELL_SECRET_KEY, a fresh random nonce each time, and
// associated data binding the box to its owner (e.g. the user id), so a box
// copied to another row does not open.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace inkwell::security {

// base64url(nonce || ciphertext || tag).
std::string seal(std::string_view secret_key, std::string_view associated,
                 std::string_view plaintext);
// The plaintext, or nullopt when the box is malformed, was tampered with, or
// was sealed under another key or associated data. Never throws.
std::optional<std::string> open(std::string_view secret_key, std::string_view associated,
                                std::string_view box);

}  // namespace inkwell::security
