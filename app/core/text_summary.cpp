#include "core/text_summary.hpp"

namespace inkwell::core {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool starts_character(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
}

}  // namespace

std::string text_summary(std::string_view text, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (starts_character(c)) {
      if (chars + (pending_space ? 1 : 0) >= max_chars) {
        out += "\u2026";
        return out;
      }
      if (pending_space) {
        out += ' ';
        ++chars;
        pending_space = false;
      }
      ++chars;
    }
    out += c;
  }
  return out;
}

}  // namespace inkwell::core
