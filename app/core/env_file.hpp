// Environment files as systemd's EnvironmentFile= reads them: KEY=VALUE
// lines, '#' or ';' comments, blank lines, a value optionally in single or
// double quotes. Used by `inkwell --env-file` and by the pool's re-exec on
// SIGHUP (INKWELL_ENV_FILE), which re-reads the operator's settings.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace inkwell::core {

using EnvEntries = std::vector<std::pair<std::string, std::string>>;

// Parses the text of an environment file. Throws std::runtime_error naming
// the line that is not KEY=VALUE.
EnvEntries parse_env_file(const std::string& text);
// Reads and parses path. Throws std::runtime_error when it cannot be read.
EnvEntries read_env_file(const std::string& path);
// setenv() of each entry (overwriting).
void apply_env(const EnvEntries& entries);

}  // namespace inkwell::core
