#include "core/fcgi.hpp"

#include <fcgiapp.h>
#include <malloc.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "core/fcgi_request.hpp"
#include "core/fcgi_response.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "core/pool.hpp"

namespace inkwell::core {
namespace {

// The whole answer goes out in one write(2), records and all
// (core/fcgi_response.hpp). libfcgi's stream writes 8 KB at a time: three
// writes for a 22 KB page, each waking nginx, were 12% of a worker's CPU on
// the home page. libfcgi's own streams are then marked closed (the public
// FCGX_Stream fields), so that FCGX_Finish_r writes nothing more. The socket
// is FCGX_Request::ipcFd, which fcgiapp.h lists below "Don't use anything
// below here": libfcgi has no accessor for it, and the struct is its ABI.
// Like libfcgi's own writes, this one waits for nginx, which reads answers
// into its buffers as they come (fastcgi_buffering).
void write_response(FCGX_Request& fr, const http::Request& req, const http::Response& res) {
  const std::string head = res.head();
  const std::string_view body = req.method == http::HEAD ? std::string_view() : res.body;
  const std::string records = fastcgi_response_records(fr.requestId, head, body);
  std::string_view left = records;
  while (!left.empty()) {
    const ssize_t n = write(fr.ipcFd, left.data(), left.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // nginx went away: nothing to tell it
    left.remove_prefix(static_cast<std::size_t>(n));
  }
  for (FCGX_Stream* stream : {fr.out, fr.err}) {
    stream->wasFCloseCalled = 1;
    stream->isClosed = 1;
  }
}

// nginx's $request_id (fastcgi_param REQUEST_ID), when it is a plain token;
// otherwise one made here from the pid and a counter.
std::string request_id(char** envp, pid_t pid, std::uint64_t& seq) {
  ++seq;
  const char* v = FCGX_GetParam("REQUEST_ID", envp);
  std::string_view id = v ? v : "";
  bool plain = !id.empty() && id.size() <= 64;
  for (char c : id) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
  if (plain) return std::string(id);
  return std::to_string(pid) + "-" + std::to_string(seq);
}

// Bytes a client controls go into the log line as '?' when they could break it.
std::string loggable(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == ' ') c = '?';
  }
  return out;
}

// Reads what is left of the request: at most the end-of-input record, which
// nginx writes right after the body, and whatever a refused request did not
// read. Closing with input unread would reset the connection, and nginx, if
// still writing that record, would answer 502 instead of the response.
void drain_input(FCGX_Request& fr) {
  char buf[4096];
  while (FCGX_GetStr(buf, sizeof buf, fr.in) > 0) {
  }
}

// libfcgi ends a connection with a lingering close: shutdown, then wait up
// to 2 s for the peer's EOF, so that unread input cannot turn into a TCP
// reset that loses the answer. On a unix socket, once the input is drained,
// nothing is lost by closing at once: the answer stays readable in nginx's
// queue, and nginx closes as soon as it has read the end record. There the
// wait is a sleep and a wake-up per request for nothing, so the connection
// is closed at once (FCGX_Detach); a TCP socket keeps the lingering close.
// A request frees everything it allocated at its end. With glibc's default
// (dynamic) thresholds a page that had used over about 128 KB of heap left
// that much free at the top, which free() then gave back to the kernel, and
// the next request took it again page by page: measured on a profile page,
// 390 against 140 us of worker CPU. Up to 4 MB of free heap is kept instead
// (a worker's RSS stays about 13 MB); blocks of 1 MB and more are mapped
// and unmapped on their own, so a rare large request does not keep its peak.
void keep_heap_between_requests() {
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
}

bool is_unix_socket(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  return getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0 &&
         addr.ss_family == AF_UNIX;
}

}  // namespace

int serve_fastcgi(int listen_fd, const TrustedProxies& trusted, const RequestHandler& handle,
                  const AfterResponse& after_response) {
  FCGX_Request fr;
  if (FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) return 1;
  worker_install_signals();
  keep_heap_between_requests();
  const bool unix_socket = is_unix_socket(listen_fd);
  const pid_t pid = getpid();
  std::uint64_t seq = 0;
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
    metrics::take_request_db_us();  // nothing before this request counts
    http::Request req = request_from_params(
        fr.envp, [&fr](char* buf, int n) { return FCGX_GetStr(buf, n, fr.in); }, trusted);
    req.request_id = request_id(fr.envp, pid, seq);
    http::Response res = handle(req);
    // The answer ends with FCGI_END_REQUEST, so on the unix socket the
    // input is read to its end first (drain_input).
    if (unix_socket) drain_input(fr);
    write_response(fr, req, res);
    if (unix_socket) FCGX_Detach(&fr);  // the close below is then a plain close
    FCGX_Finish_r(&fr);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    const std::int64_t db_us = metrics::take_request_db_us();
    metrics::record_request(req.route_index, res.status, us, db_us);
    // The access line: what nginx's log cannot know (the route's DB time,
    // the client behind the proxies), keyed by nginx's request id.
    if (!(req.quiet && res.status < 400)) {
      log(req.method_name, ' ', loggable(req.path), ' ', res.status, ' ', us, "us db=", db_us,
          "us client=", loggable(req.remote_addr), " id=", req.request_id, " pid=", pid);
    }
    if (after_response) after_response();
  }
  FCGX_Free(&fr, 1);
  return 0;
}

}  // namespace inkwell::core
