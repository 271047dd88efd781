// Pure pieces of the profile pages: external links built from a user's
// fields (avatars, Google Maps) and the length rule of the profile forms.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/form.hpp"

namespace inkwell::main {

// https://secure.gravatar.com/avatar/HASH?s=SIZE&d=identicon
std::string gravatar_url(std::string_view avatar_hash, int size);
// The avatar the configuration asks for: /avatar/HASH.svg?s=SIZE (our own
// identicon), or the Gravatar URL when INKWELL_AVATARS=gravatar.
std::string avatar_url(const core::Config& config, std::string_view avatar_hash, int size);
// https://www.google.com/maps?q=LOCATION, the location percent-encoded.
std::string maps_url(std::string_view location);
// Characters (code points) of a UTF-8 string, as a VARCHAR(n) counts them.
std::size_t utf8_length(std::string_view text);
// "Field cannot be longer than N characters." on `field` when it is.
void check_max_length(core::Form& form, std::string_view field, std::size_t max);

// The longest post, comment and about-me text the forms take (bytes: a TEXT
// column, and what POST /preview renders).
inline constexpr std::size_t kMaxTextBytes = 65535;
// "Field cannot be longer than 65535 bytes." on `field` when it is.
void check_max_bytes(core::Form& form, std::string_view field, std::size_t max = kMaxTextBytes);
// The post and comment forms' Markdown body: required, at most kMaxTextBytes.
core::Form markdown_form(std::string label);

}  // namespace inkwell::main
