// inkwell: the admin command line (migrate, ...). Reads the same INKWELL_*
// environment as the server.
#include <iostream>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/db.hpp"
#include "models/migrations.hpp"

namespace {

const char* kUsage =
    "usage: inkwell COMMAND [options]\n"
    "commands:\n"
    "  migrate        apply the SQL migrations not yet applied\n"
    "  help           this text\n";

int migrate(inkwell::core::Db& db, const inkwell::core::Config& config) {
  auto applied = inkwell::models::apply_migrations(db, config.migrations_dir);
  for (const auto& name : applied) std::cout << "applied " << name << '\n';
  if (applied.empty()) std::cout << "database is up to date\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  try {
    inkwell::core::Config config = inkwell::core::load_config_from_environment();
    inkwell::core::Db db(config);
    if (args[0] == "migrate") return migrate(db, config);
    std::cerr << "inkwell: unknown command '" << args[0] << "'\n" << kUsage;
    return 2;
  } catch (const inkwell::core::ConfigError& e) {
    std::cerr << "inkwell: configuration error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "inkwell: " << e.what() << '\n';
    return 1;
  }
}
