#include "api/basic_auth.hpp"

#include <string_view>

#include "core/security.hpp"

namespace inkwell::api {

std::optional<BasicCredentials> basic_credentials(const http::Request& req) {
  std::string header = req.header("authorization");
  if (header.size() < 6 || header.compare(0, 6, "Basic ") != 0) return std::nullopt;
  std::string_view encoded = std::string_view(header).substr(6);
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
  auto decoded = security::base64_decode(encoded);
  if (!decoded) return std::nullopt;
  std::size_t colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

}  // namespace inkwell::api
