// Fuzzes the decoders of app/core/http for what clients send: query strings
// and form bodies (parse_urlencoded, percent_decode), Cookie headers
// (parse_cookies), UTF-8 checking, and url_encode as percent_decode's inverse.
//
// Input: the raw text, fed to every decoder ("a=1&b=%C3%A9", "sid=x; y=z").
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/http.hpp"
#include "fields.hpp"

namespace http = inkwell::http;
using inkwell::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  if (auto params = http::parse_urlencoded(in)) {
    for (const auto& [name, value] : params->items()) {
      require(!name.empty(), "form names are not empty");
      require(http::valid_utf8(name) && http::valid_utf8(value), "form text is UTF-8");
      require(name.find('\0') == std::string::npos && value.find('\0') == std::string::npos,
              "form text has no NUL");
      require(name.size() <= in.size() && value.size() <= in.size(), "decoding never grows");
    }
  }

  for (bool plus_as_space : {false, true}) {
    if (auto decoded = http::percent_decode(in, plus_as_space)) {
      require(decoded->size() <= in.size(), "decoding never grows");
    }
  }
  // Encoding then decoding gives back any byte string.
  const std::string encoded = http::url_encode(in);
  require(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789-._~%") == std::string::npos,
          "url_encode emits only unreserved characters and escapes");
  require(http::percent_decode(encoded, false) == std::string(in), "url_encode round-trips");
  require(http::percent_decode(encoded, true) == std::string(in), "no '+' in url_encode output");

  const http::Params cookies = http::parse_cookies(in);
  for (const auto& [name, value] : cookies.items()) {
    require(!name.empty(), "cookie names are not empty");
    require(name.find(';') == std::string::npos && value.find(';') == std::string::npos,
            "cookie pairs never span a ';'");
  }

  // valid_utf8 agrees with walking utf8_sequence_length by hand.
  std::string_view rest = in;
  bool walked = true;
  while (!rest.empty()) {
    const std::size_t len = http::utf8_sequence_length(rest);
    require(len <= 4 && len <= rest.size(), "a sequence is 1 to 4 bytes, within the text");
    if (len == 0) {
      walked = false;
      break;
    }
    rest.remove_prefix(len);
  }
  require(walked == http::valid_utf8(in), "valid_utf8 matches utf8_sequence_length");

  (void)http::method_from_string(in);
  return 0;
}
