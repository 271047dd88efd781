// A JSON text written as it goes: RapidJSON's Writer into a string, with
// the UTF-8 of every string checked. The API's pages are written straight
// from their rows with it: building nlohmann::json objects (a std::map each)
// and then dumping them was a quarter of a worker's CPU on /api/v1/posts/.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace inkwell::core {

class JsonWriter {
 public:
  JsonWriter();

  void begin_object() { writer_.StartObject(); }
  void end_object() { writer_.EndObject(); }
  void begin_array() { writer_.StartArray(); }
  void end_array() { writer_.EndArray(); }
  // A member's name; its value is written next.
  void key(std::string_view name);
  // Throws std::invalid_argument for text that is not UTF-8.
  void string(std::string_view text);
  void integer(std::int64_t value) { writer_.Int64(value); }
  void boolean(bool value) { writer_.Bool(value); }
  void null() { writer_.Null(); }
  // A member: its name, then its value.
  void field(std::string_view name, std::string_view text) {
    key(name);
    string(text);
  }
  void field(std::string_view name, std::int64_t value) {
    key(name);
    integer(value);
  }

  // The text so far (complete once every object and array is ended).
  std::string text() const;

 private:
  rapidjson::StringBuffer buffer_;
  // Without RapidJSON's own check (kWriteValidateEncodingFlag decodes
  // every character, 9% of a worker on /api/v1/posts/): string() checks the
  // text first (http::valid_utf8), and the Writer copies its UTF-8.
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace inkwell::core
