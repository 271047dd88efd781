#include <doctest/doctest.h>

#include "models/post_text_cache.hpp"

using inkwell::models::PostText;
using inkwell::models::PostTextCache;

TEST_CASE("post text cache: found only at the version it was kept at") {
  PostTextCache c(1 << 20);
  CHECK(c.find(1, 0) == nullptr);
  c.put(1, 0, {"*a*", "<p><em>a</em></p>"});
  REQUIRE(c.find(1, 0) != nullptr);
  CHECK(c.find(1, 0)->body_html == "<p><em>a</em></p>");
  CHECK(c.find(1, 1) == nullptr);  // edited since: not served
  c.put(1, 1, {"b", "<p>b</p>"});
  CHECK(c.size() == 1);
  CHECK(c.find(1, 0) == nullptr);
  CHECK(c.find(1, 1)->body == "b");
}

TEST_CASE("post text cache: the least recently used go first; bytes stay under the bound") {
  const std::string text(100, 'x');
  PostTextCache c(3 * (2 * text.size() + 64));
  c.put(1, 0, {text, text});
  c.put(2, 0, {text, text});
  c.put(3, 0, {text, text});
  CHECK(c.size() == 3);
  CHECK(c.find(1, 0) != nullptr);  // 1 is now the most recently used
  c.put(4, 0, {text, text});       // 2 goes
  CHECK(c.find(2, 0) == nullptr);
  CHECK(c.find(1, 0) != nullptr);
  CHECK(c.find(3, 0) != nullptr);
  CHECK(c.find(4, 0) != nullptr);
  CHECK(c.bytes() <= 3 * (2 * text.size() + 64));
  c.put(5, 0, {std::string(1000, 'y'), ""});  // larger than the cache: not kept
  CHECK(c.find(5, 0) == nullptr);
  CHECK(c.size() == 3);
}
