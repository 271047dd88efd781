// The command table of `inkwell`: one entry per command, from which come
// both its --help text and the parsing of its arguments (unknown options,
// options without their value and wrong positional counts are refused
// before anything runs). Exit codes are named here, once.
#pragma once

#include <string_view>
#include <vector>

#include "cli/commands.hpp"

namespace inkwell::cli {

// What `inkwell` exits with.
namespace exit_code {
inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;       // not found, or the operation did not succeed
inline constexpr int kUsage = 2;        // bad arguments, configuration or input file
inline constexpr int kRefused = 3;      // a rule forbids it (the last Administrator, ...)
inline constexpr int kUnavailable = 4;  // the database cannot be reached
}  // namespace exit_code

struct OptionSpec {
  std::string_view name;        // "--role"
  std::string_view value_name;  // "R"; empty for a flag
  std::string_view help;
  bool required = false;
};

using Run = int (*)(core::Db&, const core::Config&, const Args&);

struct CommandSpec {
  std::string_view name;                     // one or two words: "migrate", "users list"
  std::vector<std::string_view> positional;  // "EMAIL", "ROLE"
  std::string_view summary;
  std::vector<OptionSpec> options;
  Run run;
  // Bulk work (migrations, fake data, an import): one statement may run for
  // minutes, so the database's read timeout is at least kBulkTimeoutMs.
  bool bulk = false;
};

inline constexpr int kBulkTimeoutMs = 3600 * 1000;

const std::vector<CommandSpec>& command_table();

// "inkwell users list [--unconfirmed] [--role R]"
std::string synopsis(const CommandSpec& c);
// The full --help text of a command.
std::string command_help(const CommandSpec& c);
// The --help text of the program.
std::string program_help();

// Checks args against c (options, values, positional count); throws
// std::invalid_argument with the message for the operator.
void check_arguments(const CommandSpec& c, const std::vector<std::string>& args);

}  // namespace inkwell::cli
