// inkwell create-user: adds an account from the command line. The password
// is read from standard input (a prompt without echo on a terminal), never
// from the arguments, where other users could see it.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "models/user.hpp"

namespace inkwell::cli {
namespace {

std::string read_password(const char* prompt) {
  std::string line;
  if (!isatty(STDIN_FILENO)) {
    std::getline(std::cin, line);
    return line;
  }
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  std::cerr << prompt << std::flush;
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << '\n';
  return line;
}

}  // namespace

int create_user(core::Db& db, const core::Config& config, const Args& args) {
  args.expect({"--email", "--username"}, {"--admin", "--confirmed"});
  models::NewUser u;
  u.email = models::normalize_email(args.value("--email"));
  u.username = args.value("--username");
  u.administrator = args.flag("--admin");
  u.confirmed = args.flag("--confirmed");
  if (!models::valid_email(u.email)) {
    std::cerr << "inkwell: --email: Invalid email address.\n";
    return 2;
  }
  if (!models::valid_username(u.username)) {
    std::cerr << "inkwell: --username: Usernames must have only letters, numbers, dots or "
                 "underscores\n";
    return 2;
  }
  u.password = read_password("Password: ");
  if (isatty(STDIN_FILENO) && read_password("Repeat password: ") != u.password) {
    std::cerr << "inkwell: Passwords must match.\n";
    return 2;
  }
  if (u.password.size() < 8) {
    std::cerr << "inkwell: Password must be at least 8 characters long.\n";
    return 2;
  }
  if (models::email_taken(db, u.email)) {
    std::cerr << "inkwell: Email already registered.\n";
    return 1;
  }
  if (models::username_taken(db, u.username)) {
    std::cerr << "inkwell: Username already in use.\n";
    return 1;
  }
  std::int64_t id = models::create_user(db, u, config.password_method);
  std::cout << "created user " << id << " (" << u.username << ", " << u.email
            << (u.administrator ? ", Administrator" : "") << (u.confirmed ? ", confirmed" : "")
            << ")\n";
  return 0;
}

}  // namespace inkwell::cli
