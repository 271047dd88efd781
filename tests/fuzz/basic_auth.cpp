// Fuzzes http::basic_credentials and security::base64_decode: the
// Authorization header of every /api/ request, before any lookup.
//
// Input: the header value ("Basic am9objpzZWNyZXQ="); also fed to
// base64_decode alone.
#include "core/basic_auth.hpp"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/security.hpp"
#include "fields.hpp"

using inkwell::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  if (auto decoded = inkwell::security::base64_decode(in)) {
    // Strict, padded base64: 4 characters for every 3 bytes, '=' only at the end.
    std::size_t pad = 0;
    while (pad < in.size() && in[in.size() - 1 - pad] == '=') ++pad;
    require(in.size() % 4 == 0, "only whole quanta decode");
    require(pad <= 2, "at most two '='");
    require(decoded->size() == in.size() / 4 * 3 - pad,
            "3 bytes for each 4 characters, less the padding");
  }

  if (auto credentials = inkwell::http::basic_credentials(in)) {
    std::string scheme(in.substr(0, 6));
    for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    require(scheme == "basic ", "only the Basic scheme, in any case");
    require(!credentials->user.empty(), "a user name is never empty");
    require(credentials->user.find(':') == std::string::npos, "the name ends at the first ':'");
  }
  return 0;
}
