// Request rate limits counted in the database: the count of a bucket in the
// current fixed window is one row, bumped atomically, so that every worker
// of every host sharing the database sees the same count (a per-process
// counter would let each worker allow the whole limit again).
#pragma once

#include <string_view>

#include "core/db.hpp"

namespace inkwell::models {

// Counts one more hit on bucket in the current window of window_seconds
// (by the database's clock) and returns the hits of that window so far,
// this one included. Opening a window deletes windows that have ended.
long hit_rate_limit(core::Db& db, std::string_view bucket, long window_seconds);

}  // namespace inkwell::models
