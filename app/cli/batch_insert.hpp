// BatchInsert: rows collected and sent as multi-row
// "INSERT ... VALUES (?, ...), (?, ...) ..." statements with bound
// parameters, for bulk loads (fake data, imports). At most kRowsPerStatement
// rows go in one statement, and no more bytes than byte_budget unless one row
// alone is larger (so that a statement fits the server's max_allowed_packet).
#pragma once

#include <cppconn/prepared_statement.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/db.hpp"

namespace inkwell::models {

class BatchInsert {
 public:
  static constexpr std::size_t kRowsPerStatement = 1000;
  // tail goes after the VALUES, e.g. "ON DUPLICATE KEY UPDATE ...".
  BatchInsert(core::Db& db, std::string head, std::size_t columns, std::string tail = "",
              std::size_t byte_budget = std::numeric_limits<std::size_t>::max());

  template <class... V>
  void row(V&&... v) {
    static_assert(sizeof...(V) > 0);
    const std::size_t bytes = (size_of(v) + ...);
    if (pending_rows() > 0 && pending_bytes_ + bytes > byte_budget_) flush();
    (values_.emplace_back(std::forward<V>(v)), ...);
    pending_bytes_ += bytes;
    if (pending_rows() >= kRowsPerStatement || pending_bytes_ >= byte_budget_) flush();
  }

  // Sends what is pending. Call it once more after the last row.
  void flush();

  long rows() const { return rows_; }  // rows sent
  // Rows the server reports as inserted (or changed, with ON DUPLICATE KEY).
  long affected() const { return affected_; }

 private:
  using Value = std::variant<std::int64_t, std::string>;
  static std::size_t size_of(std::int64_t) { return 8; }
  static std::size_t size_of(const std::string& s) { return s.size() + 4; }
  std::size_t pending_rows() const { return values_.size() / columns_; }
  std::unique_ptr<sql::PreparedStatement> prepare(std::size_t rows) const;

  core::Db& db_;
  std::string head_;
  std::size_t columns_;
  std::string tail_;
  std::size_t byte_budget_;
  std::vector<Value> values_;
  std::size_t pending_bytes_ = 0;
  long rows_ = 0;
  long affected_ = 0;
  std::unique_ptr<sql::PreparedStatement> full_;  // the statement for a full batch
};

}  // namespace inkwell::models
