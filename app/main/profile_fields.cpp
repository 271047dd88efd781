#include "main/profile_fields.hpp"

#include "core/http.hpp"

namespace inkwell::main {

std::string gravatar_url(std::string_view avatar_hash, int size) {
  std::string url = "https://secure.gravatar.com/avatar/";
  url.append(avatar_hash).append("?s=").append(std::to_string(size)).append("&d=identicon");
  return url;
}

std::string avatar_url(const core::Config& config, std::string_view avatar_hash, int size) {
  if (config.avatars == "gravatar") return gravatar_url(avatar_hash, size);
  std::string url = "/avatar/";
  url.append(avatar_hash).append(".svg?s=").append(std::to_string(size));
  return url;
}

std::string maps_url(std::string_view location) {
  return "https://www.google.com/maps?q=" + http::url_encode(location);
}

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;  // every byte but continuation bytes starts a character
  }
  return n;
}

void check_max_length(core::Form& form, std::string_view field, std::size_t max) {
  if (utf8_length(form.value(field)) > max) {
    form.error(field, "Field cannot be longer than " + std::to_string(max) + " characters.");
  }
}

void check_max_bytes(core::Form& form, std::string_view field, std::size_t max) {
  if (form.value(field).size() > max) {
    form.error(field, "Field cannot be longer than " + std::to_string(max) + " bytes.");
  }
}

core::Form markdown_form(std::string label) {
  core::Form form({{"body", std::move(label), "markdown"}}, "Submit");
  form.requiring({"body"}).max_length("body", kMaxTextBytes);
  return form;
}

}  // namespace inkwell::main
