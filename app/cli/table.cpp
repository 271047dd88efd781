#include "cli/table.hpp"

#include <stdexcept>
#include <string>

namespace inkwell::cli {

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = {
      {"migrate",
       {},
       "apply the SQL migrations not yet applied (as the migration user)",
       {},
       migrate,
       true},
      {"create-user",
       {},
       "add an account; the password is read from stdin",
       {{"--email", "E", "its email", true},
        {"--username", "U", "its username", true},
        {"--admin", "", "Administrator"},
        {"--confirmed", "", "already confirmed"}},
       create_user},
      {"users list",
       {},
       "list accounts, oldest first",
       {{"--unconfirmed", "", "only accounts not yet confirmed"},
        {"--role", "R", "only this role (User, Moderator, Administrator)"}},
       users_list},
      {"users show",
       {"EMAIL"},
       "the account, its logins, sessions and two-factor state",
       {},
       users_show},
      {"users confirm",
       {"EMAIL"},
       "mark the account confirmed (as its link would)",
       {},
       users_confirm},
      {"users set-role",
       {"EMAIL", "ROLE"},
       "give the account a role; the last Administrator is never demoted",
       {},
       users_set_role},
      {"users disable",
       {"EMAIL"},
       "disable the account: no login of any kind, its sessions end, its tokens die",
       {},
       users_disable},
      {"users enable", {"EMAIL"}, "enable a disabled account again", {}, users_enable},
      {"users reset-2fa",
       {"EMAIL"},
       "turn two-factor login off (lost device and codes)",
       {},
       users_reset_2fa},
      {"users reset-password",
       {"EMAIL"},
       "mail the account a password reset link (the site's \"Forgot your password?\" mail, "
       "queued for the mailer); refused (exit 3) for a disabled account",
       {},
       users_reset_password},
      {"users resend-confirmations",
       {},
       "queue the confirmation mail again for every unconfirmed, enabled account registered "
       "more than AGE ago that was not sent one within AGE; lists them, and the count on stderr",
       {{"--older-than", "AGE", "e.g. 1d, 12h, 30m", true},
        {"--dry-run", "", "list them, queue nothing"}},
       users_resend_confirmations},
      {"sessions revoke",
       {"EMAIL"},
       "end every session and remember-me token of the account (it must log in again)",
       {},
       sessions_revoke},
      {"outbox status",
       {},
       "the mail outbox: pending, failing, failed (given up) and sent; the latest failed",
       {{"--limit", "N", "failed messages listed (default 20)"}},
       outbox_status},
      {"outbox retry",
       {"[ID]"},
       "hand a failed (given-up) message, or with --failed all of them, back to the mailer",
       {{"--failed", "", "every failed message"}},
       outbox_retry_cmd},
      {"outbox purge",
       {},
       "delete sent mail older than the age given",
       {{"--sent-before", "AGE", "e.g. 30d, 12h", true}},
       outbox_purge},
      {"purge",
       {},
       "delete expired sessions and remember-me tokens, and login failures and mail "
       "requests older than a day (run daily: inkwell-purge.timer)",
       {},
       purge},
      {"fake",
       {},
       "add fake data for development and benchmarks (all passwords \"password\"); the "
       "same seed makes the same data; refused in production unless --force",
       {{"--users", "N", ""},
        {"--posts", "M", ""},
        {"--follows", "K", ""},
        {"--comments", "C", ""},
        {"--seed", "S", ""},
        {"--prefix", "P", ""},
        {"--force", "", "also in production"}},
       fake,
       true},
      {"import-flasky",
       {},
       "import a Flasky database (its SQLite file) in one transaction; users whose email "
       "or username is taken or invalid are skipped with everything of theirs and "
       "reported; --dry-run checks everything, then rolls back",
       {{"--sqlite", "PATH", "the Flasky database", true},
        {"--dry-run", "", "roll back at the end"}},
       import_flasky,
       true},
      {"setup-db",
       {},
       "create the database, its application account (row rights only) and its migration "
       "account (schema rights); the admin password comes from INKWELL_DB_ADMIN_PASSWORD "
       "(default: socket authentication as root), the accounts' from INKWELL_DB_PASSWORD "
       "and INKWELL_DB_MIGRATION_PASSWORD or generated",
       {{"--admin-user", "U", "the administrator (default root)"},
        {"--admin-socket", "S", "its socket"},
        {"--admin-host", "H", "or its host"},
        {"--admin-port", "P", "and port"},
        {"--migration-user", "M", "the migration account (default <user>_migrate)"},
        {"--account-host", "H", "the accounts' host part"},
        {"--write-env", "F", "write the application password into this env file"},
        {"--write-migration-env", "F", "write the migration account into this env file"}},
       setup_db},
      // Older spellings, kept for scripts.
      {"outbox-status", {}, "same as outbox status", {{"--limit", "N", ""}}, outbox_status},
      {"outbox-retry",
       {},
       "same as outbox retry",
       {{"--id", "ID", ""}, {"--all", "", ""}},
       outbox_retry},
  };
  return table;
}

std::string synopsis(const CommandSpec& c) {
  std::string out = "inkwell " + std::string(c.name);
  for (std::string_view p : c.positional) out += " " + std::string(p);
  for (const OptionSpec& o : c.options) {
    out += o.required ? " " : " [";
    out += o.name;
    if (!o.value_name.empty()) out += " " + std::string(o.value_name);
    if (!o.required) out += "]";
  }
  return out;
}

std::string command_help(const CommandSpec& c) {
  std::string out = "usage: " + synopsis(c) + "\n\n" + std::string(c.summary) + "\n";
  if (!c.options.empty()) out += "\noptions:\n";
  for (const OptionSpec& o : c.options) {
    std::string left = "  " + std::string(o.name);
    if (!o.value_name.empty()) left += " " + std::string(o.value_name);
    if (left.size() < 24) left.resize(24, ' ');
    out += left + " " + std::string(o.help) + "\n";
  }
  return out;
}

std::string program_help() {
  std::string out =
      "usage: inkwell [--env-file FILE] COMMAND [arguments]\n"
      "       inkwell COMMAND --help | --help | --version\n\n"
      "Reads the same INKWELL_* environment as the server (--env-file FILE first sets\n"
      "the variables of FILE, systemd's EnvironmentFile format).\n\ncommands:\n";
  for (const CommandSpec& c : command_table()) {
    std::string s = synopsis(c).substr(8);
    out += "  " + s + "\n      " + std::string(c.summary) + "\n";
  }
  out +=
      "\nexit status: 0 done; 1 not found or failed; 2 bad arguments, configuration or\n"
      "input file; 3 refused by a rule (the last Administrator, a disabled account);\n"
      "4 database unavailable\n";
  return out;
}

void check_arguments(const CommandSpec& c, const std::vector<std::string>& args) {
  std::size_t positional = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) == 0) {
      const OptionSpec* spec = nullptr;
      for (const OptionSpec& o : c.options) {
        if (o.name == a) spec = &o;
      }
      if (!spec) throw std::invalid_argument("unknown argument '" + a + "'");
      if (!spec->value_name.empty()) {
        if (i + 1 == args.size()) throw std::invalid_argument(a + " needs a value");
        ++i;
      }
    } else {
      ++positional;
    }
  }
  for (const OptionSpec& o : c.options) {
    bool given = false;
    for (const std::string& a : args) given = given || a == o.name;
    if (o.required && !given) throw std::invalid_argument(std::string(o.name) + " is required");
  }
  std::size_t required = 0;
  for (std::string_view p : c.positional) {
    if (p.front() != '[') ++required;
  }
  if (positional < required || positional > c.positional.size()) {
    throw std::invalid_argument(positional < required
                                    ? "missing argument: usage: " + synopsis(c)
                                    : "unexpected argument: usage: " + synopsis(c));
  }
}

}  // namespace inkwell::cli
