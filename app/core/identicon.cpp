#include "core/identicon.hpp"

#include <algorithm>
#include <charconv>

namespace inkwell::core {
namespace {

constexpr int kCells = 5;  // a 5 x 5 grid, mirrored left to right

int nibble(char c) {
  return c <= '9' ? c - '0' : c - 'a' + 10;
}

// The foreground colour from the last seven digits: hue from three, and
// saturation and lightness kept in a band that reads well on white.
std::string colour(std::string_view hash) {
  const int hue = (nibble(hash[25]) << 8 | nibble(hash[26]) << 4 | nibble(hash[27])) * 360 / 4096;
  const int saturation = 45 + (nibble(hash[28]) << 4 | nibble(hash[29])) * 20 / 255;
  const int lightness = 40 + (nibble(hash[30]) << 4 | nibble(hash[31])) * 20 / 255;
  return "hsl(" + std::to_string(hue) + "," + std::to_string(saturation) + "%," +
         std::to_string(lightness) + "%)";
}

}  // namespace

bool valid_avatar_hash(std::string_view hash) {
  return hash.size() == 32 && std::all_of(hash.begin(), hash.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

int avatar_size(std::string_view text) {
  int size = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
  if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size()) {
    return kAvatarDefaultSize;
  }
  if (ec == std::errc::result_out_of_range) return text[0] == '-' ? kAvatarMinSize : kAvatarMaxSize;
  return std::clamp(size, kAvatarMinSize, kAvatarMaxSize);
}

std::string identicon_svg(std::string_view hash, int size) {
  const std::string px = std::to_string(size);
  // One unit of margin around the grid, as Gravatar's identicons have.
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + px + "\" height=\"" +
                    px + "\" viewBox=\"0 0 7 7\" shape-rendering=\"crispEdges\">";
  svg += "<rect width=\"7\" height=\"7\" fill=\"#f0f0f0\"/><g fill=\"" + colour(hash) + "\">";
  // The first 15 digits decide the three left columns (the middle one
  // included); each digit's low bit fills its cell, mirrored to the right.
  for (int col = 0; col < 3; ++col) {
    for (int row = 0; row < kCells; ++row) {
      if ((nibble(hash[col * kCells + row]) & 1) == 0) continue;
      for (int x : {col, kCells - 1 - col}) {
        svg += "<rect x=\"" + std::to_string(x + 1) + "\" y=\"" + std::to_string(row + 1) +
               "\" width=\"1\" height=\"1\"/>";
        if (x == kCells - 1 - x) break;  // the middle column once
      }
    }
  }
  svg += "</g></svg>\n";
  return svg;
}

}  // namespace inkwell::core
