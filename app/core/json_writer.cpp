#include "core/json_writer.hpp"

#include <stdexcept>

#include "core/http.hpp"

namespace inkwell::core {

JsonWriter::JsonWriter() : writer_(buffer_) {
  buffer_.Reserve(16 * 1024);
}

void JsonWriter::key(std::string_view name) {
  string(name);
}

void JsonWriter::string(std::string_view text) {
  if (!http::valid_utf8(text)) throw std::invalid_argument("JSON string is not UTF-8");
  writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

std::string JsonWriter::text() const {
  return std::string(buffer_.GetString(), buffer_.GetSize());
}

}  // namespace inkwell::core
