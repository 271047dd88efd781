// The admin commands of `inkwell`, one file each.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/db.hpp"
#include "models/user.hpp"

namespace inkwell::cli {

// Command-line options: "--name value" pairs and bare "--flag"s.
class Args {
 public:
  explicit Args(std::vector<std::string> args) : args_(std::move(args)) {}
  // The value after name; throws std::invalid_argument when missing.
  std::string value(std::string_view name) const;
  std::string value_or(std::string_view name, std::string_view fallback) const;
  long number(std::string_view name, long fallback, long min, long max) const;
  bool flag(std::string_view name) const;
  // Every argument, in order (for commands with positional arguments).
  const std::vector<std::string>& all() const { return args_; }
  // The arguments that are not options (for commands whose options are all
  // flags), in order; "" past the end.
  std::string positional(std::size_t i) const;
  // Throws std::invalid_argument naming the first argument that is neither
  // one of these options (each followed by its value) nor one of these flags.
  void expect(std::initializer_list<std::string_view> options,
              std::initializer_list<std::string_view> flags = {}) const;

 private:
  std::vector<std::string> args_;
};

// "30d", "12h", "45m", "90s" → seconds; throws std::invalid_argument.
long parse_age(std::string_view text);

// The account named by the first positional argument; nullopt, with a
// message on stderr, when there is none (the users commands then exit 1).
std::optional<models::User> account_argument(core::Db& db, const Args& args);

int migrate(core::Db& db, const core::Config& config, const Args& args);
int create_user(core::Db& db, const core::Config& config, const Args& args);
int fake(core::Db& db, const core::Config& config, const Args& args);
int import_flasky(core::Db& db, const core::Config& config, const Args& args);
int outbox_status(core::Db& db, const core::Config& config, const Args& args);
int outbox_retry(core::Db& db, const core::Config& config, const Args& args);
int users_list(core::Db& db, const core::Config& config, const Args& args);
int users_show(core::Db& db, const core::Config& config, const Args& args);
int users_confirm(core::Db& db, const core::Config& config, const Args& args);
int users_set_role(core::Db& db, const core::Config& config, const Args& args);
int users_disable(core::Db& db, const core::Config& config, const Args& args);
int users_enable(core::Db& db, const core::Config& config, const Args& args);
int users_reset_2fa(core::Db& db, const core::Config& config, const Args& args);
int users_reset_password(core::Db& db, const core::Config& config, const Args& args);
int users_resend_confirmations(core::Db& db, const core::Config& config, const Args& args);
int sessions_revoke(core::Db& db, const core::Config& config, const Args& args);
int outbox_retry_cmd(core::Db& db, const core::Config& config, const Args& args);
int outbox_purge(core::Db& db, const core::Config& config, const Args& args);
int purge(core::Db& db, const core::Config& config, const Args& args);
int setup_db(core::Db& db, const core::Config& config, const Args& args);

}  // namespace inkwell::cli
