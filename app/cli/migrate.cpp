// inkwell migrate: applies the SQL migrations not yet applied.
#include <iostream>

#include "cli/commands.hpp"
#include "models/migrations.hpp"

namespace inkwell::cli {

int migrate(core::Db& db, const core::Config& config, const Args& args) {
  args.expect({});
  auto applied = models::apply_migrations(db, config.migrations_dir);
  for (const auto& name : applied) std::cout << "applied " << name << '\n';
  if (applied.empty()) std::cout << "database is up to date\n";
  return 0;
}

}  // namespace inkwell::cli
