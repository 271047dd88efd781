#include "cli/batch_insert.hpp"

#include <stdexcept>

namespace inkwell::models {

BatchInsert::BatchInsert(core::Db& db, std::string head, std::size_t columns, std::string tail,
                         std::size_t byte_budget)
    : db_(db),
      head_(std::move(head)),
      columns_(columns),
      tail_(std::move(tail)),
      byte_budget_(byte_budget) {
  if (columns_ == 0) throw std::invalid_argument("BatchInsert: no columns");
}

std::unique_ptr<sql::PreparedStatement> BatchInsert::prepare(std::size_t rows) const {
  std::string one = "(?";
  for (std::size_t c = 1; c < columns_; ++c) one += ", ?";
  one += ')';
  std::string sql = head_ + " VALUES " + one;
  sql.reserve(sql.size() + rows * (one.size() + 2) + tail_.size() + 1);
  for (std::size_t r = 1; r < rows; ++r) sql.append(", ").append(one);
  if (!tail_.empty()) sql.append(" ").append(tail_);
  return std::unique_ptr<sql::PreparedStatement>(db_.connection().prepareStatement(sql));
}

void BatchInsert::flush() {
  if (values_.empty()) return;
  if (values_.size() % columns_ != 0) throw std::logic_error("BatchInsert: incomplete row");
  const std::size_t rows = pending_rows();
  std::unique_ptr<sql::PreparedStatement> once;
  sql::PreparedStatement* ps;
  if (rows == kRowsPerStatement) {
    if (!full_) full_ = prepare(rows);
    ps = full_.get();
  } else {
    once = prepare(rows);
    ps = once.get();
  }
  unsigned i = 1;
  for (const Value& v : values_) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      ps->setInt64(i++, *n);
    } else {
      ps->setString(i++, sql::SQLString(std::get<std::string>(v)));
    }
  }
  affected_ += static_cast<long>(ps->executeUpdate());
  rows_ += static_cast<long>(rows);
  values_.clear();
  pending_bytes_ = 0;
}

}  // namespace inkwell::models
