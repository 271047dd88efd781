#include <doctest/doctest.h>

#include "core/text_summary.hpp"

using inkwell::core::text_summary;

TEST_CASE("text summary: short texts are kept, whitespace runs folded") {
  CHECK(text_summary("hello", 10) == "hello");
  CHECK(text_summary("  two\n\nlines\t here  ", 50) == "two lines here");
  CHECK(text_summary("", 10) == "");
  CHECK(text_summary(" \n ", 10) == "");
}

TEST_CASE("text summary: long texts are cut with an ellipsis") {
  CHECK(text_summary("abcdefghij", 10) == "abcdefghij");
  CHECK(text_summary("abcdefghijk", 10) == "abcdefghij\u2026");
  CHECK(text_summary("abc def", 3) == "abc\u2026");
  CHECK(text_summary("abc def", 4) == "abc\u2026");  // never ends on the folded space
}

TEST_CASE("text summary: counts characters, never cuts one in half") {
  // "é" is two bytes, "€" three: 6 characters, 12 bytes.
  const std::string text = "\u00e9\u00e9\u20ac\u20ac\u00e9\u00e9";
  CHECK(text_summary(text, 6) == text);
  CHECK(text_summary(text, 3) == "\u00e9\u00e9\u20ac\u2026");
}
