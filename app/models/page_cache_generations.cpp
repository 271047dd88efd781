#include "models/page_cache_generations.hpp"

namespace inkwell::models {

void bump_page_cache_generation(core::Db& db, std::string_view host) {
  db.execute_unseen(
      "INSERT INTO page_cache_generations (host, generation) VALUES (?, 1)"
      " ON DUPLICATE KEY UPDATE generation = generation + 1",
      host);
}

std::uint64_t page_cache_generation_sum(core::Db& db) {
  auto rs =
      db.query("SELECT CAST(COALESCE(SUM(generation), 0) AS UNSIGNED) FROM page_cache_generations");
  return rs->next() ? rs->getUInt64(1) : 0;
}

}  // namespace inkwell::models
