#include <doctest/doctest.h>

#include <limits>
#include <vector>

#include "core/pagination.hpp"

using inkwell::core::page_param;
using inkwell::core::paginate;
using V = std::vector<long>;

TEST_CASE("paginate: pages, offsets, prev/next") {
  auto p = paginate(1, 20, 45);
  CHECK(p.page == 1);
  CHECK(p.per_page == 20);
  CHECK(p.total == 45);
  CHECK(p.pages == 3);
  CHECK(p.offset() == 0);
  CHECK_FALSE(p.has_prev());
  CHECK(p.has_next());

  p = paginate(3, 20, 45);
  CHECK(p.offset() == 40);
  CHECK(p.has_prev());
  CHECK_FALSE(p.has_next());

  CHECK(paginate(1, 20, 40).pages == 2);
  CHECK(paginate(1, 20, 41).pages == 3);
  CHECK(paginate(1, 20, 1).pages == 1);
}

TEST_CASE("paginate: no rows is zero pages, page 1") {
  auto p = paginate(1, 20, 0);
  CHECK(p.pages == 0);
  CHECK(p.page == 1);
  CHECK(p.offset() == 0);
  CHECK_FALSE(p.has_prev());
  CHECK_FALSE(p.has_next());
  CHECK(p.links().empty());
  CHECK(paginate(-1, 20, 0).page == 1);
}

TEST_CASE("paginate: -1 is the last page, other values below 1 are page 1") {
  CHECK(paginate(-1, 30, 61).page == 3);
  CHECK(paginate(-1, 30, 60).page == 2);
  CHECK(paginate(-1, 30, 1).page == 1);
  CHECK(paginate(0, 30, 61).page == 1);
  CHECK(paginate(-2, 30, 61).page == 1);
  CHECK(paginate(-1000000, 30, 61).page == 1);
}

TEST_CASE("paginate: past the last page is an empty page, not an error") {
  auto p = paginate(5, 20, 45);
  CHECK(p.pages == 3);
  CHECK(p.page > p.pages);
  CHECK(p.offset() >= p.total);
  CHECK(p.has_prev());
  CHECK_FALSE(p.has_next());
  // Huge pages do not overflow the offset.
  p = paginate(9'000'000'000'000'000'000L, 20, 45);
  CHECK(p.offset() >= 45);
  CHECK(p.offset() < 100);
  CHECK(paginate(3, 0, 10).per_page == 1);  // a nonsense per_page is not a division by zero
}

TEST_CASE("links: like Flask-SQLAlchemy's iter_pages, 0 for a gap") {
  CHECK(paginate(1, 10, 10).links() == V{1});
  CHECK(paginate(1, 10, 50).links() == V{1, 2, 3, 4, 5});
  CHECK(paginate(1, 10, 100).links() == V{1, 2, 3, 4, 5, 0, 9, 10});
  CHECK(paginate(5, 10, 100).links() == V{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK(paginate(10, 10, 100).links() == V{1, 2, 0, 8, 9, 10});
  CHECK(paginate(10, 10, 200).links() == V{1, 2, 0, 8, 9, 10, 11, 12, 13, 14, 0, 19, 20});
  CHECK(paginate(4, 10, 200).links() == V{1, 2, 3, 4, 5, 6, 7, 8, 0, 19, 20});
  CHECK(paginate(3, 10, 200).links() == V{1, 2, 3, 4, 5, 6, 7, 0, 19, 20});
  CHECK(paginate(16, 10, 200).links() == V{1, 2, 0, 14, 15, 16, 17, 18, 19, 20});
  CHECK(paginate(15, 10, 200).links() == V{1, 2, 0, 13, 14, 15, 16, 17, 18, 19, 20});
  CHECK(paginate(14, 10, 200).links() == V{1, 2, 0, 12, 13, 14, 15, 16, 17, 18, 19, 20});
  CHECK(paginate(13, 10, 200).links() == V{1, 2, 0, 11, 12, 13, 14, 15, 16, 17, 0, 19, 20});
  // Past the end: the edges only.
  CHECK(paginate(99, 10, 200).links() == V{1, 2, 0, 19, 20});
  CHECK(paginate(99, 10, 20).links() == V{1, 2});
}

TEST_CASE("links: the gap markers never repeat and pages are increasing") {
  for (long total : {1L, 19L, 20L, 21L, 95L, 1000L, 12345L}) {
    for (long page = 1; page <= total / 5 + 2; ++page) {
      auto links = paginate(page, 5, total).links();
      long last = 0;
      bool gap = false;
      for (long n : links) {
        if (n == 0) {
          CHECK_FALSE(gap);
          gap = true;
          continue;
        }
        CHECK(n > last);
        CHECK((gap ? n > last + 1 : n == last + 1));
        last = n;
        gap = false;
      }
      CHECK_FALSE(gap);
    }
  }
}

TEST_CASE("page_param parses leniently") {
  CHECK(page_param("") == 1);
  CHECK(page_param("abc") == 1);
  CHECK(page_param("2") == 2);
  CHECK(page_param("-1") == -1);
  CHECK(page_param("0") == 0);
  CHECK(page_param("2x") == 1);
  CHECK(page_param(" 2") == 1);
  CHECK(page_param("+2") == 1);
  CHECK(page_param("1.5") == 1);
  CHECK(page_param("99999999999999999999999") == 1);
  CHECK(paginate(page_param("abc"), 20, 100).page == 1);
}

TEST_CASE("offset_from_start: any page but the last, whatever the total, never overflowing") {
  using inkwell::core::offset_from_start;
  CHECK_FALSE(offset_from_start(-1, 20).has_value());
  CHECK(offset_from_start(1, 20) == 0);
  CHECK(offset_from_start(0, 20) == 0);  // below 1 is page 1
  CHECK(offset_from_start(-7, 20) == 0);
  CHECK(offset_from_start(3, 20) == 40);  // as paginate's offset for any total that has it
  CHECK(offset_from_start(3, 20) == paginate(3, 20, 45).offset());
  const long huge = *offset_from_start(std::numeric_limits<long>::max(), 20);
  CHECK(huge > 0);
  CHECK(huge <= std::numeric_limits<long>::max() - 20);
}
