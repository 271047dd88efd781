// A short plain-text summary of a longer text (a post's description for
// link previews): whitespace runs become one space, and a text longer than
// the limit is cut at a character boundary with an ellipsis.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace inkwell::core {

// At most max_chars code points of text (plus "…" when cut); text is UTF-8.
std::string text_summary(std::string_view text, std::size_t max_chars);

}  // namespace inkwell::core
