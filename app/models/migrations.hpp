// Schema migrations: sql/migrations/NNNN_name.sql applied in name order,
// each recorded in schema_migrations so that running again changes nothing.
#pragma once

#include <string>
#include <vector>

#include "core/db.hpp"

namespace inkwell::models {

// Applies the migrations of dir not yet recorded; returns their names.
// Throws std::runtime_error naming the file that failed.
std::vector<std::string> apply_migrations(core::Db& db, const std::string& dir);

// The migration files of dir (names, in order). Throws std::runtime_error
// when dir is not a directory.
std::vector<std::string> migration_files(const std::string& dir);

// Of `known` (migration_files), those the database has not recorded: all of
// them when schema_migrations does not exist yet. One query.
std::vector<std::string> pending_migrations(core::Db& db, const std::vector<std::string>& known);

}  // namespace inkwell::models
