#include "mailer/connect_check.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

namespace inkwell::mailer {
namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* a) const { freeaddrinfo(a); }
};

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// One address: a non-blocking connect, then poll until the deadline.
bool try_address(const addrinfo& a, std::chrono::steady_clock::time_point deadline,
                 std::string& error) {
  Fd fd(socket(a.ai_family, a.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a.ai_protocol));
  if (fd.get() < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  if (connect(fd.get(), a.ai_addr, a.ai_addrlen) == 0) return true;
  if (errno != EINPROGRESS) {
    error = std::strerror(errno);
    return false;
  }
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      error = "no connection within the timeout";
      return false;
    }
    pollfd p{fd.get(), POLLOUT, 0};
    int n = poll(&p, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::string("poll: ") + std::strerror(errno);
      return false;
    }
    if (n == 0) continue;  // the deadline check above ends it
    int so_error = 0;
    socklen_t len = sizeof so_error;
    getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &len);
    if (so_error == 0) return true;
    error = std::strerror(so_error);
    return false;
  }
}

}  // namespace

bool connect_within(const std::string& host, int port, int timeout_ms, std::string& error) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    error = std::string("cannot resolve ") + host + ": " + gai_strerror(rc);
    return false;
  }
  std::unique_ptr<addrinfo, AddrInfoDeleter> list(found);
  error = "no address for " + host;
  for (const addrinfo* a = list.get(); a; a = a->ai_next) {
    if (try_address(*a, deadline, error)) return true;
  }
  return false;
}

}  // namespace inkwell::mailer
