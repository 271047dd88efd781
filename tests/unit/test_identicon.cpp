#include <doctest/doctest.h>

#include <string>

#include "core/identicon.hpp"

namespace core = inkwell::core;

namespace {

constexpr std::string_view kHashA = "d41d8cd98f00b204e9800998ecf8427e";
constexpr std::string_view kHashB = "0bc83cb571cd1c50ba6f3e8a78ef1346";

std::size_t count(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Each element of the SVG closes: one svg, one g, and rects that end in "/>".
void check_well_formed(const std::string& svg) {
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.ends_with("</svg>\n"));
  CHECK(count(svg, "<svg") == 1);
  CHECK(count(svg, "<g ") == 1);
  CHECK(count(svg, "</g>") == 1);
  CHECK(count(svg, "<rect") == count(svg, "/>"));
  CHECK(count(svg, "<") == count(svg, ">"));
}

}  // namespace

TEST_CASE("identicon: the same hash always draws the same image") {
  CHECK(core::identicon_svg(kHashA, 80) == core::identicon_svg(kHashA, 80));
}

TEST_CASE("identicon: different hashes draw different images") {
  CHECK(core::identicon_svg(kHashA, 80) != core::identicon_svg(kHashB, 80));
  // Only the colour digits differ: still another image.
  CHECK(core::identicon_svg("00000000000000000000000000000000", 80) !=
        core::identicon_svg("000000000000000000000000000000ff", 80));
  // Only a pattern digit differs.
  CHECK(core::identicon_svg("00000000000000000000000000000000", 80) !=
        core::identicon_svg("10000000000000000000000000000000", 80));
}

TEST_CASE("identicon: a well-formed SVG of the asked size") {
  const std::string svg = core::identicon_svg(kHashB, 40);
  check_well_formed(svg);
  CHECK(svg.find("width=\"40\" height=\"40\"") != std::string::npos);
  CHECK(core::identicon_svg(kHashB, 256).find("width=\"256\" height=\"256\"") != std::string::npos);
  check_well_formed(core::identicon_svg("ffffffffffffffffffffffffffffffff", 80));
  check_well_formed(core::identicon_svg("00000000000000000000000000000000", 80));
}

TEST_CASE("identicon: the pattern is mirrored and follows the low bits") {
  // All odd digits: every cell filled, 25 squares; all even: none.
  CHECK(count(core::identicon_svg("11111111111111111111111111111111", 80), "width=\"1\"") == 25);
  CHECK(count(core::identicon_svg("22222222222222222222222222222222", 80), "width=\"1\"") == 0);
  // The first cell (left column, top row) and its mirror only.
  const std::string one = core::identicon_svg("10000000000000000000000000000000", 80);
  CHECK(count(one, "width=\"1\"") == 2);
  CHECK(one.find("<rect x=\"1\" y=\"1\"") != std::string::npos);
  CHECK(one.find("<rect x=\"5\" y=\"1\"") != std::string::npos);
}

TEST_CASE("identicon: hash validation") {
  CHECK(core::valid_avatar_hash(kHashA));
  CHECK_FALSE(core::valid_avatar_hash("D41D8CD98F00B204E9800998ECF8427E"));  // upper case
  CHECK_FALSE(core::valid_avatar_hash("d41d8cd98f00b204e9800998ecf8427"));   // 31
  CHECK_FALSE(core::valid_avatar_hash("d41d8cd98f00b204e9800998ecf8427e0"));
  CHECK_FALSE(core::valid_avatar_hash("g41d8cd98f00b204e9800998ecf8427e"));
  CHECK_FALSE(core::valid_avatar_hash(""));
}

TEST_CASE("identicon: sizes are clamped, with a default") {
  CHECK(core::avatar_size("") == core::kAvatarDefaultSize);
  CHECK(core::avatar_size("abc") == core::kAvatarDefaultSize);
  CHECK(core::avatar_size("40x") == core::kAvatarDefaultSize);
  CHECK(core::avatar_size("40") == 40);
  CHECK(core::avatar_size("1") == core::kAvatarMinSize);
  CHECK(core::avatar_size("-5") == core::kAvatarMinSize);
  CHECK(core::avatar_size("100000") == core::kAvatarMaxSize);
  CHECK(core::avatar_size("99999999999999999999") == core::kAvatarMaxSize);
}
