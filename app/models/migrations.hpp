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

}  // namespace inkwell::models
