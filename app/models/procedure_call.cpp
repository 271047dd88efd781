#include "models/procedure_call.hpp"

#include "core/db_health.hpp"
#include "core/log.hpp"

namespace inkwell::models {

namespace {
constexpr std::int64_t kRetryMs = 60000;
}  // namespace

std::string_view StoredProcedure::name() const {
  std::string_view n = call.substr(call.find(' ') + 1);
  return n.substr(0, n.find('('));
}

bool procedure_unavailable(const sql::SQLException& e) {
  return e.getErrorCode() == 1370 || e.getErrorCode() == 1305;
}

bool may_call(const core::Db& db, const StoredProcedure& p) {
  return !db.in_transaction() && core::DbHealth::now_ms() >= p.retry_at_ms;
}

void note_refused(StoredProcedure& p, const sql::SQLException& e) {
  p.retry_at_ms = core::DbHealth::now_ms() + kRetryMs;
  core::log("the writes of ", p.name(), " run statement by statement for a minute: ", e.what(),
            " (error ", e.getErrorCode(),
            "; the application's database account needs EXECUTE: run `inkwell setup-db` again, "
            "and `inkwell migrate`)");
}

}  // namespace inkwell::models
