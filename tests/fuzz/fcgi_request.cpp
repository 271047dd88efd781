// Fuzzes core::request_from_params: the FastCGI parameters nginx passes
// (method, URI, query string, Content-Type, Content-Length, every HTTP_*
// header, cookies) and the body, into the http::Request handlers see.
//
// Input: NAME=value parameters separated by NUL bytes (libfcgi hands them
// over as C strings, so none can hold a NUL), an empty parameter, then the
// body: "REQUEST_METHOD=POST\0CONTENT_LENGTH=3\0\0a=b".
#include "core/fcgi_request.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fields.hpp"

namespace {

using inkwell::fuzz::require;
using inkwell::http::Params;

bool clean_params(const Params& params) {
  for (const auto& [name, value] : params.items()) {
    if (name.empty() || !inkwell::http::valid_utf8(name) || !inkwell::http::valid_utf8(value) ||
        name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> params;
  for (;;) {
    const std::size_t nul = rest.find('\0');
    const std::string_view param = rest.substr(0, nul);
    rest.remove_prefix(nul == std::string_view::npos ? rest.size() : nul + 1);
    if (param.empty()) break;
    params.emplace_back(param);
  }
  const std::string_view body = rest;

  // libfcgi's envp: mutable C strings and a null at the end.
  std::vector<char*> envp;
  for (std::string& p : params) envp.push_back(p.data());
  envp.push_back(nullptr);
  std::size_t offset = 0;
  auto read_body = [&](char* buf, int n) {
    const std::size_t got = std::min(static_cast<std::size_t>(n), body.size() - offset);
    std::memcpy(buf, body.data() + offset, got);
    offset += got;
    return static_cast<int>(got);
  };

  inkwell::http::Request req = inkwell::core::request_from_params(envp.data(), read_body);

  require(req.refused == 0 || req.refused == 400 || req.refused == 413, "refused is 0, 400, 413");
  require((req.refused == 0) == req.refused_reason.empty(), "a refusal has a reason");
  require(!req.path.empty(), "path is never empty");
  if (req.refused == 0) {
    require(inkwell::http::valid_utf8(req.path), "accepted path is UTF-8");
    require(req.path.find('\0') == std::string::npos, "accepted path has no NUL");
    require(clean_params(req.query), "query names and values are clean UTF-8");
    require(clean_params(req.form), "form names and values are clean UTF-8");
    require(req.body.size() <= inkwell::http::kMaxBody, "body within the limit");
  }
  // What the dispatcher and handlers read next.
  (void)req.wants_json();
  (void)req.header("cookie");
  return 0;
}
