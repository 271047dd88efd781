// HTTP Basic credentials (RFC 7617) from an Authorization header value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace inkwell::http {

struct BasicCredentials {
  std::string user;  // an email, or an API token
  std::string password;
};

// The user and password of "Basic base64(user:password)"; the scheme is
// matched case-insensitively. nullopt for any other scheme, bad base64, no
// colon or an empty user. The bytes are not checked further: callers do.
std::optional<BasicCredentials> basic_credentials(std::string_view authorization);

}  // namespace inkwell::http
