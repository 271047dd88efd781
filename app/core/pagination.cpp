#include "core/pagination.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

namespace inkwell::core {

std::vector<long> Pagination::links() const {
  // Flask-SQLAlchemy's iter_pages(left_edge=2, left_current=2,
  // right_current=5, right_edge=2): the first two pages, page-2 .. page+4,
  // the last two, in order; 0 marks each gap.
  constexpr long kLeftEdge = 2, kLeftCurrent = 2, kRightCurrent = 5, kRightEdge = 2;
  const long current = std::clamp(page, 1L, pages + 1);  // no overflow below
  const std::pair<long, long> ranges[] = {
      {1, std::min(kLeftEdge, pages)},
      {std::max(current - kLeftCurrent, 1L), std::min(current + kRightCurrent - 1, pages)},
      {std::max(pages - kRightEdge + 1, 1L), pages},
  };
  std::vector<long> out;
  long last = 0;
  for (auto [first, end] : ranges) {
    for (long num = std::max(first, last + 1); num <= end; ++num) {
      if (num != last + 1) out.push_back(0);
      out.push_back(num);
      last = num;
    }
  }
  return out;
}

Pagination paginate(long page, long per_page, long total) {
  Pagination p;
  p.per_page = per_page < 1 ? 1 : per_page;
  p.total = total < 0 ? 0 : total;
  p.pages = p.total == 0 ? 0 : (p.total - 1) / p.per_page + 1;
  if (page == -1) {
    page = p.pages < 1 ? 1 : p.pages;
  } else if (page < 1) {
    page = 1;
  }
  // Past the end is an empty page; one past the last is as empty as any, and
  // keeps offset() from overflowing.
  if (page > p.pages + 1) page = p.pages + 1;
  p.page = page;
  return p;
}

std::optional<long> offset_from_start(long page, long per_page) {
  if (page == -1) return std::nullopt;
  if (per_page < 1) per_page = 1;
  const long before = page < 1 ? 0 : page - 1;
  // Past any real total, as far as a page more still fits in a long.
  const long most = (std::numeric_limits<long>::max() - per_page) / per_page;
  return std::min(before, most) * per_page;
}

long page_param(const std::string& text) {
  long value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return 1;
  return value;
}

}  // namespace inkwell::core
