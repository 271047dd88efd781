#include "core/json_writer.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "core/http.hpp"

namespace inkwell::core {

namespace {

// UTF-8 (http::valid_utf8: no overlongs, surrogates or code points past
// U+10FFFF), with the ASCII most text is passed over 8 bytes at a time.
bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    if (word & 0x8080808080808080ULL) break;
  }
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  return i == text.size() || http::valid_utf8(text.substr(i));
}

}  // namespace

JsonWriter::JsonWriter() : writer_(buffer_) {
  buffer_.Reserve(16 * 1024);
}

void JsonWriter::key(std::string_view name) {
  string(name);
}

void JsonWriter::string(std::string_view text) {
  if (!is_utf8(text)) throw std::invalid_argument("JSON string is not UTF-8");
  writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

std::string JsonWriter::text() const {
  return std::string(buffer_.GetString(), buffer_.GetSize());
}

}  // namespace inkwell::core
