// inkwell: the admin command line. Reads the same INKWELL_* environment as
// the server.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace {

const char* kUsage =
    "usage: inkwell COMMAND [options]\n"
    "commands:\n"
    "  migrate                       apply the SQL migrations not yet applied\n"
    "  create-user --email E --username U [--admin] [--confirmed]\n"
    "                                add an account; the password is read from stdin\n"
    "  fake --users N --posts M [--follows K] [--comments C] [--seed S] [--prefix P] [--force]\n"
    "                                add fake data for development and benchmarks (all\n"
    "                                passwords \"password\"); the same seed makes the same\n"
    "                                data; refused in production unless --force\n"
    "  import-flasky --sqlite PATH [--dry-run]\n"
    "                                import a Flasky database (its SQLite file) in one\n"
    "                                transaction; users whose email or username is taken\n"
    "                                or invalid are skipped with everything of theirs and\n"
    "                                reported; --dry-run checks everything, then rolls back\n"
    "  outbox-status [--limit N]     the mail outbox: pending, failing, failed (given up)\n"
    "                                and sent counts; the latest failed messages\n"
    "  outbox-retry --id ID | --all  hand failed (given-up) mail back to the mailer\n"
    "  users show EMAIL              the account, its logins, sessions and two-factor state\n"
    "  users reset-2fa EMAIL         turn two-factor login off (lost device and codes)\n"
    "  setup-db [--admin-user U] [--admin-socket S | --admin-host H --admin-port P]\n"
    "           [--migration-user M] [--account-host H] [--write-env F] [--write-migration-env F]\n"
    "                                create the database, its application account (rows only)\n"
    "                                and migration account (schema); admin password from\n"
    "                                INKWELL_DB_ADMIN_PASSWORD (default: socket auth as root)\n"
    "  help                          this text\n";

using Command = int (*)(inkwell::core::Db&, const inkwell::core::Config&,
                        const inkwell::cli::Args&);

const std::map<std::string, Command> kCommands = {
    {"migrate", inkwell::cli::migrate},
    {"create-user", inkwell::cli::create_user},
    {"fake", inkwell::cli::fake},
    {"import-flasky", inkwell::cli::import_flasky},
    {"outbox-status", inkwell::cli::outbox_status},
    {"outbox-retry", inkwell::cli::outbox_retry},
    {"users", inkwell::cli::users},
    {"setup-db", inkwell::cli::setup_db},
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  auto command = kCommands.find(args[0]);
  if (command == kCommands.end()) {
    std::cerr << "inkwell: unknown command '" << args[0] << "'\n" << kUsage;
    return 2;
  }
  try {
    inkwell::core::Config config = inkwell::core::load_config_from_environment();
    inkwell::core::Db db(config);
    return command->second(db, config, inkwell::cli::Args({args.begin() + 1, args.end()}));
  } catch (const inkwell::core::ConfigError& e) {
    std::cerr << "inkwell: configuration error: " << e.what() << '\n';
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "inkwell: " << e.what() << '\n' << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "inkwell: " << e.what() << '\n';
    return 1;
  }
}
