// The page cache across app hosts (INKWELL_PAGE_CACHE_SYNC_MS): one row per
// host in page_cache_generations, bumped by each data-changing request.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/db.hpp"

namespace inkwell::models {

// This host changed data: its row's generation goes up by one.
void bump_page_cache_generation(core::Db& db, std::string_view host);
// The sum of every host's generation: moves whenever any host changed data.
std::uint64_t page_cache_generation_sum(core::Db& db);

}  // namespace inkwell::models
