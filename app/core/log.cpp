#include "core/log.hpp"

#include <unistd.h>

#include <cerrno>
#include <string>

namespace inkwell::core {

void log_line(std::string_view line) {
  std::string out;
  out.reserve(line.size() + 1);
  out.append(line).push_back('\n');
  const char* p = out.data();
  std::size_t left = out.size();
  while (left > 0) {
    ssize_t n = write(STDERR_FILENO, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to log: drop the line, never the request
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace inkwell::core
