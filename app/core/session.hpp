// The pure parts of sessions: cookie names, CSRF tokens, signed flash
// cookies and client fingerprints. Storage lives in models/, policy in auth/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.hpp"

namespace inkwell::core {

inline constexpr std::string_view kSessionCookie = "session";
inline constexpr std::string_view kRememberCookie = "remember_token";
inline constexpr std::string_view kCsrfCookie = "csrf";
inline constexpr std::string_view kFlashCookie = "flash";
inline constexpr long kRememberSeconds = 365L * 24 * 3600;

// HMAC of the binding (session id or visitor cookie) under the secret key.
std::string csrf_token_for(std::string_view secret, std::string_view kind,
                           std::string_view binding);
// True when the request's csrf_token field (or X-CSRF-Token header) matches
// the token of its binding. Fails closed: no binding, no token → false.
bool csrf_valid(const Context& ctx);

// Flashes travel in a signed cookie so that showing them writes nothing.
std::string encode_flashes(std::string_view secret, const std::vector<Flash>& flashes);
std::vector<Flash> decode_flashes(std::string_view secret, std::string_view cookie);

// sha256 (hex) of the client's address and User-Agent.
std::string client_fingerprint(const http::Request& req);
// sha256 (hex) of a raw session/remember id, as stored in the database.
std::string id_hash(std::string_view raw_id);

}  // namespace inkwell::core
