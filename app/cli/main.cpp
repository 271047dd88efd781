// inkwell: the operator's command line. Reads the same INKWELL_* environment
// as the server. Every command is one entry of cli/table.cpp, which gives
// its --help and checks its arguments; --help, --version and argument errors
// need neither a database nor a configuration.
#include <cppconn/exception.h>

#include <algorithm>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/table.hpp"
#include "core/env_file.hpp"

#ifndef INKWELL_VERSION
#define INKWELL_VERSION "0.1.0"
#endif

namespace {

using namespace inkwell::cli;

// The entry whose words start args (two words first: "users list").
const CommandSpec* find_command(const std::vector<std::string>& args, std::size_t& words) {
  for (std::size_t n : {2u, 1u}) {
    if (args.size() < n) continue;
    std::string name = args[0];
    if (n == 2) name += " " + args[1];
    for (const CommandSpec& c : command_table()) {
      if (c.name == name) {
        words = n;
        return &c;
      }
    }
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string env_file;
  while (!args.empty()) {
    if (args[0] == "--version") {
      std::cout << "inkwell " << INKWELL_VERSION << '\n';
      return exit_code::kOk;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::cout << program_help();
      return exit_code::kOk;
    }
    if (args[0] != "--env-file") break;
    if (args.size() < 2) {
      std::cerr << "inkwell: --env-file needs a value\n";
      return exit_code::kUsage;
    }
    env_file = args[1];
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.empty()) {
    std::cerr << program_help();
    return exit_code::kUsage;
  }
  std::size_t words = 0;
  const CommandSpec* command = find_command(args, words);
  if (!command) {
    std::cerr << "inkwell: unknown command '" << args[0] << (args.size() > 1 ? " " + args[1] : "")
              << "' (inkwell --help lists them)\n";
    return exit_code::kUsage;
  }
  std::vector<std::string> rest(args.begin() + static_cast<long>(words), args.end());
  for (const std::string& a : rest) {
    if (a == "--help" || a == "-h") {
      std::cout << command_help(*command);
      return exit_code::kOk;
    }
  }
  try {
    check_arguments(*command, rest);
  } catch (const std::invalid_argument& e) {
    std::cerr << "inkwell: " << e.what() << '\n' << "usage: " << synopsis(*command) << '\n';
    return exit_code::kUsage;
  }
  try {
    if (!env_file.empty()) inkwell::core::apply_env(inkwell::core::read_env_file(env_file));
  } catch (const std::exception& e) {
    std::cerr << "inkwell: --env-file: " << e.what() << '\n';
    return exit_code::kUsage;
  }
  inkwell::core::Config config;
  try {
    config = inkwell::core::load_config_from_environment();
  } catch (const inkwell::core::ConfigError& e) {
    std::cerr << "inkwell: configuration error: " << e.what() << '\n';
    return exit_code::kUsage;
  }
  if (command->bulk) config.db_timeout_ms = std::max(config.db_timeout_ms, kBulkTimeoutMs);
  try {
    inkwell::core::Db db(config);
    return command->run(db, config, Args(rest));
  } catch (const std::invalid_argument& e) {
    std::cerr << "inkwell: " << e.what() << '\n' << "usage: " << synopsis(*command) << '\n';
    return exit_code::kUsage;
  } catch (const inkwell::core::DbUnavailable& e) {
    std::cerr << "inkwell: database unavailable: " << e.what() << '\n';
    return exit_code::kUnavailable;
  } catch (const sql::SQLException& e) {
    const bool connection = e.getErrorCode() >= 2000 && e.getErrorCode() < 3000;  // client errors
    std::cerr << "inkwell: database error " << e.getErrorCode() << ": " << e.what() << '\n';
    return connection ? exit_code::kUnavailable : exit_code::kFailed;
  } catch (const std::exception& e) {
    std::cerr << "inkwell: " << e.what() << '\n';
    return exit_code::kFailed;
  }
}
