#include "core/fcgi_request.hpp"

#include <fcgiapp.h>

#include <cctype>
#include <charconv>
#include <string>
#include <string_view>

namespace inkwell::core {
namespace {

std::string param(char** envp, const char* name) {
  const char* v = FCGX_GetParam(name, envp);
  return v ? std::string(v) : std::string();
}

// "HTTP_USER_AGENT" → "user-agent"
std::string header_name(std::string_view cgi) {
  std::string out(cgi);
  for (char& c : out)
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Fills req from the parameters and body. Returns 0 when it is fine, or the
// status to answer with (400, 413) when the request is unacceptable.
int read_request(char** envp, const BodyReader& read_body, const TrustedProxies& trusted,
                 http::Request& req) {
  req.method_name = param(envp, "REQUEST_METHOD");
  req.method = http::method_from_string(req.method_name);
  req.path = param(envp, "DOCUMENT_URI");
  if (req.path.empty()) req.path.assign(1, '/');
  req.query_string = param(envp, "QUERY_STRING");
  req.peer_addr = param(envp, "REMOTE_ADDR");
  req.content_type = param(envp, "CONTENT_TYPE");
  for (char** p = envp; p && *p; ++p) {
    std::string_view kv(*p);
    if (kv.rfind("HTTP_", 0) != 0) continue;
    std::size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    req.headers.add(header_name(kv.substr(5, eq - 5)), std::string(kv.substr(eq + 1)));
  }
  if (!req.content_type.empty()) req.headers.add("content-type", req.content_type);
  req.cookies = http::parse_cookies(req.header("cookie"));
  req.remote_addr = client_address(trusted, req.peer_addr, req.header("x-forwarded-for"));

  if (!http::valid_utf8(req.path) || req.path.find('\0') != std::string::npos) return 400;
  auto query = http::parse_urlencoded(req.query_string);
  if (!query) return 400;
  req.query = std::move(*query);

  std::string length_text = param(envp, "CONTENT_LENGTH");
  std::size_t length = 0;
  if (!length_text.empty()) {
    auto [end, ec] =
        std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
    if (ec != std::errc() || end != length_text.data() + length_text.size()) return 400;
  }
  if (length > http::kMaxBody) return 413;
  if (length > 0) {
    req.body.resize(length);
    int got = read_body(req.body.data(), static_cast<int>(length));
    if (got < 0 || static_cast<std::size_t>(got) != length) return 400;
  }
  // Media types are case-insensitive (RFC 9110): one rule, http::media_type.
  if (http::media_type(req.content_type) == "application/x-www-form-urlencoded") {
    auto form = http::parse_urlencoded(req.body);
    if (!form) return 400;
    req.form = std::move(*form);
  }
  return 0;
}

}  // namespace

http::Request request_from_params(char** envp, const BodyReader& read_body,
                                  const TrustedProxies& trusted) {
  http::Request req;
  req.refused = read_request(envp, read_body, trusted, req);
  if (req.refused == 413) req.refused_reason = "request body too large";
  if (req.refused == 400) req.refused_reason = "malformed request";
  return req;
}

}  // namespace inkwell::core
