// Fuzzes api::body_field: how the JSON API reads a post's or comment's text
// from a request (Content-Type check, nlohmann::json parse, the "body" field).
// Every refusal must be an HttpError with a 4xx status, nothing else.
//
// Input: the Content-Type, a NUL byte, the request body:
// "application/json\0{\"body\": \"hello\"}".
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/json.hpp"
#include "core/http.hpp"
#include "fields.hpp"

using inkwell::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [content_type, body] = inkwell::fuzz::fields<2>(data, size);
  try {
    const std::string text = inkwell::api::body_field(content_type, body, "post");
    require(!text.empty(), "an accepted body is not empty");
    require(text.find('\0') == std::string::npos, "an accepted body has no NUL");
    require(inkwell::http::valid_utf8(text), "an accepted body is UTF-8");
  } catch (const inkwell::http::HttpError& e) {
    require(e.status == 400 || e.status == 415, "refusals are 400 or 415");
  }
  return 0;
}
