// Logging: one line per call to stderr (journald under systemd), written
// with a single write(2) so that lines from several workers never interleave.
#pragma once

#include <sstream>
#include <string_view>

namespace inkwell::core {

void log_line(std::string_view line);

// log("pool: worker ", pid, " died"): the parts streamed into one line.
template <class... Parts>
void log(const Parts&... parts) {
  std::ostringstream line;
  (line << ... << parts);
  log_line(line.view());
}

}  // namespace inkwell::core
