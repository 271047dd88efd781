// Markdown (CommonMark, libcmark) to HTML that is safe to show: raw HTML and
// dangerous link schemes (javascript:, vbscript:, file:, data:) are removed.
#pragma once

#include <string>
#include <string_view>

namespace inkwell::core {

std::string markdown_to_html(std::string_view markdown);

}  // namespace inkwell::core
