// Pagination arithmetic: which rows a page shows and which page links to
// draw. Pure; the total comes from a counter, never from counting a table.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace inkwell::core {

struct Pagination {
  long page = 1;  // 1-based; may be past the last page (an empty page)
  long per_page = 20;
  long total = 0;
  long pages = 0;  // number of pages (0 when total is 0)

  long offset() const { return (page - 1) * per_page; }
  bool has_prev() const { return page > 1; }
  bool has_next() const { return page < pages; }
  // Page numbers to show, with 0 standing for a gap ("…"), like Flask-SQLAlchemy's
  // iter_pages(left_edge=2, left_current=2, right_current=5, right_edge=2).
  std::vector<long> links() const;
};

// page as asked (?page=N): -1 means the last page; anything < 1 else means 1.
Pagination paginate(long page, long per_page, long total);
// The offset of a page as asked when it does not depend on the total: any
// page but the last (-1), which gives nullopt. It cannot overflow.
std::optional<long> offset_from_start(long page, long per_page);
// Parses ?page= leniently: absent or malformed → 1.
long page_param(const std::string& text);

}  // namespace inkwell::core
