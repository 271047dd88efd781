#include "core/fcgi.hpp"

#include <fcgiapp.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "core/fcgi_request.hpp"
#include "core/log.hpp"
#include "core/pool.hpp"

namespace inkwell::core {
namespace {

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
    http::Request req = request_from_params(
        fr.envp, [&fr](char* buf, int n) { return FCGX_GetStr(buf, n, fr.in); });
    http::Response res = handle(req);
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
