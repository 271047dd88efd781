#include "core/fcgi.hpp"

#include <fcgiapp.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <memory>

#include "core/log.hpp"
#include "core/pool.hpp"

namespace inkwell::core {
namespace {

std::string param(FCGX_ParamArray envp, const char* name) {
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

// Fills req from the FastCGI parameters and body. Returns 0 when it is fine,
// or the status to answer with (400, 413) when the request is unacceptable.
int read_request(FCGX_Request& fr, http::Request& req) {
  req.method_name = param(fr.envp, "REQUEST_METHOD");
  req.method = http::method_from_string(req.method_name);
  req.path = param(fr.envp, "DOCUMENT_URI");
  if (req.path.empty()) req.path.assign(1, '/');
  req.query_string = param(fr.envp, "QUERY_STRING");
  req.remote_addr = param(fr.envp, "REMOTE_ADDR");
  req.content_type = param(fr.envp, "CONTENT_TYPE");
  for (char** p = fr.envp; p && *p; ++p) {
    std::string_view kv(*p);
    if (kv.rfind("HTTP_", 0) != 0) continue;
    std::size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    req.headers.add(header_name(kv.substr(5, eq - 5)), std::string(kv.substr(eq + 1)));
  }
  if (!req.content_type.empty()) req.headers.add("content-type", req.content_type);
  req.cookies = http::parse_cookies(req.header("cookie"));

  if (!http::valid_utf8(req.path) || req.path.find('\0') != std::string::npos) return 400;
  auto query = http::parse_urlencoded(req.query_string);
  if (!query) return 400;
  req.query = std::move(*query);

  std::string length_text = param(fr.envp, "CONTENT_LENGTH");
  std::size_t length = 0;
  if (!length_text.empty()) {
    auto [end, ec] =
        std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
    if (ec != std::errc() || end != length_text.data() + length_text.size()) return 400;
  }
  if (length > http::kMaxBody) return 413;
  if (length > 0) {
    req.body.resize(length);
    int got = FCGX_GetStr(req.body.data(), static_cast<int>(length), fr.in);
    if (got < 0 || static_cast<std::size_t>(got) != length) return 400;
  }
  if (http::media_type(req.content_type) == "application/x-www-form-urlencoded") {
    auto form = http::parse_urlencoded(req.body);
    if (!form) return 400;
    req.form = std::move(*form);
  }
  return 0;
}

void write_response(FCGX_Request& fr, const http::Request& req, const http::Response& res) {
  std::string head = res.head();
  FCGX_PutStr(head.data(), static_cast<int>(head.size()), fr.out);
  if (req.method != http::HEAD && !res.body.empty()) {
    FCGX_PutStr(res.body.data(), static_cast<int>(res.body.size()), fr.out);
  }
}

}  // namespace

int serve_fastcgi(int listen_fd, const RequestHandler& handle,
                  const AfterResponse& after_response) {
  FCGX_Request fr;
  if (FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) return 1;
  worker_install_signals();
  const pid_t pid = getpid();
  for (;;) {
    // Stop requests are only taken while idle: a request in flight finishes.
    worker_block_stop(false);
    if (worker_should_stop()) break;
    int rc = FCGX_Accept_r(&fr);
    worker_block_stop(true);
    if (rc < 0) {
      if (worker_should_stop()) break;
      continue;  // a client that went away, or EINTR
    }
    auto start = std::chrono::steady_clock::now();
    http::Request req;
    http::Response res;
    req.refused = read_request(fr, req);
    if (req.refused == 413) req.refused_reason = "request body too large";
    if (req.refused == 400) req.refused_reason = "malformed request";
    res = handle(req);
    write_response(fr, req, res);
    FCGX_Finish_r(&fr);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    std::string path = req.path;
    for (char& c : path) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';  // no log injection
    }
    log(req.method_name, ' ', path, ' ', res.status, ' ', us, "us pid=", pid);
    if (after_response) after_response();
  }
  FCGX_Free(&fr, 1);
  return 0;
}

}  // namespace inkwell::core
