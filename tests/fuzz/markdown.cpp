// Fuzzes core::markdown_to_html (libcmark in safe mode plus our data: URL
// filter): what posts and comments are rendered with. Beyond memory safety,
// the output must be sanitized: no raw HTML survives, and no link or image
// points at a script or data: URL.
//
// Input: the Markdown text.
#include "core/markdown.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/http.hpp"
#include "fields.hpp"

namespace {

using inkwell::fuzz::require;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The tags cmark writes itself; anything else would be the author's HTML.
bool known_tag(std::string_view html, std::size_t lt) {
  static constexpr std::string_view kTags[] = {"<p>",           "</p>",
                                               "<em>",          "</em>",
                                               "<strong>",      "</strong>",
                                               "<code>",        "</code>",
                                               "<pre>",         "</pre>",
                                               "<pre><code",    "<blockquote>",
                                               "</blockquote>", "<ul>",
                                               "</ul>",         "<ol>",
                                               "<ol start=\"",  "</ol>",
                                               "<li>",          "</li>",
                                               "<h1>",          "</h1>",
                                               "<h2>",          "</h2>",
                                               "<h3>",          "</h3>",
                                               "<h4>",          "</h4>",
                                               "<h5>",          "</h5>",
                                               "<h6>",          "</h6>",
                                               "<hr />",        "<br />",
                                               "<a href=\"",    "</a>",
                                               "<img src=\"",   "<!-- raw HTML omitted -->",
                                               "<code class=\""};
  for (std::string_view tag : kTags) {
    if (html.substr(lt, tag.size()) == tag) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view markdown(reinterpret_cast<const char*>(data), size);
  const std::string html = inkwell::core::markdown_to_html(markdown);

  require(inkwell::http::valid_utf8(html), "HTML is UTF-8 (invalid input is replaced)");
  for (std::size_t lt = html.find('<'); lt != std::string::npos; lt = html.find('<', lt + 1)) {
    require(known_tag(html, lt), "only cmark's own tags, never raw HTML");
  }
  const std::string text = lower(html);
  for (std::string_view attr : {"href=\"", "src=\""}) {
    for (std::size_t at = text.find(attr); at != std::string::npos; at = text.find(attr, at + 1)) {
      const std::string_view url = std::string_view(text).substr(at + attr.size());
      for (std::string_view scheme : {"javascript:", "vbscript:", "file:", "data:"}) {
        require(url.substr(0, scheme.size()) != scheme, "no script, file or data: URLs");
      }
    }
  }
  return 0;
}
