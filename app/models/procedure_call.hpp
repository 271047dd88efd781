// Calls of the migrations' stored procedures (sql/migrations/0013_write_
// procedures.sql): a write that runs in the server in one round trip. Each
// procedure has its statements in the model too, run one by one when it
// cannot be called: inside a caller's transaction (the procedure begins and
// commits its own), or for a minute after the server refused it (an account
// without EXECUTE, a database before the migration), which is logged.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/db.hpp"

namespace inkwell::models {

// One procedure as this worker knows it: its CALL statement ("CALL
// name(?, ...)") and when it may be tried again after a refusal.
struct StoredProcedure {
  std::string_view call;
  std::int64_t retry_at_ms = 0;
  // The name in call (for the log).
  std::string_view name() const;
};

// The errors a procedure signals when there is nothing to write (its
// transaction is rolled back): no such row, nothing to change (already
// following, not following).
inline constexpr int kProcedureNoSuchRow = 45404;
inline constexpr int kProcedureNothingToChange = 45409;
// The error a procedure signals when this case is the caller's (it changed
// nothing): the caller runs the statements, as when it cannot be called.
inline constexpr int kProcedureLeftToCaller = 45303;

// True for the errors of a CALL that the account may not make (no EXECUTE:
// 1370) or of a procedure that is not there (1305).
bool procedure_unavailable(const sql::SQLException& e);
// Whether to try the procedure now (outside a transaction, not refused
// within the last minute).
bool may_call(const core::Db& db, const StoredProcedure& p);
// The server refused p (procedure_unavailable(e)): logs it and keeps the
// procedure from being tried for a minute.
void note_refused(StoredProcedure& p, const sql::SQLException& e);

// Runs p's CALL with args if may_call(): true when it wrote, false when the
// procedure said there was nothing to write (kProcedureNoSuchRow,
// kProcedureNothingToChange), nullopt when the caller is to run the
// statements itself (also kProcedureLeftToCaller). Other errors of the
// procedure come through as they are.
template <class... Args>
std::optional<bool> call_procedure(core::Db& db, StoredProcedure& p, const Args&... args) {
  if (!may_call(db, p)) return std::nullopt;
  try {
    db.execute(p.call, args...);
    return true;
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == kProcedureNoSuchRow || e.getErrorCode() == kProcedureNothingToChange) {
      return false;
    }
    if (e.getErrorCode() == kProcedureLeftToCaller) return std::nullopt;
    if (!procedure_unavailable(e)) throw;
    note_refused(p, e);
    return std::nullopt;
  }
}

}  // namespace inkwell::models
