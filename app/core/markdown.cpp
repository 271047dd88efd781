#include "core/markdown.hpp"

#include <cmark.h>

#include <cstdlib>
#include <memory>
#include <new>

namespace inkwell::core {
namespace {

struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterFree {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};
struct CharFree {
  void operator()(char* p) const { std::free(p); }
};

// cmark's safe mode (the default since 0.29) already empties javascript:,
// vbscript:, file: and data: URLs, but lets data:image/{png,gif,jpeg,webp}
// through. Nothing here needs inline data, so every data: URL goes too.
bool is_data_url(const char* url) {
  if (url == nullptr) return false;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(url);
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') ++p;
  static constexpr char kData[] = "data:";
  for (const char* d = kData; *d != '\0'; ++d, ++p) {
    unsigned char c = *p;
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if (c != static_cast<unsigned char>(*d)) return false;
  }
  return true;
}

void drop_data_urls(cmark_node* root) {
  std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(root));
  if (!it) throw std::bad_alloc();
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it.get());
    cmark_node_type t = cmark_node_get_type(n);
    if ((t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) && is_data_url(cmark_node_get_url(n))) {
      cmark_node_set_url(n, "");
    }
  }
}

}  // namespace

std::string markdown_to_html(std::string_view markdown) {
  // CMARK_OPT_DEFAULT is safe: raw HTML becomes "<!-- raw HTML omitted -->"
  // and dangerous link schemes become empty URLs. Never pass CMARK_OPT_UNSAFE.
  constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
  std::unique_ptr<cmark_node, NodeFree> doc(
      cmark_parse_document(markdown.data(), markdown.size(), kOptions));
  if (!doc) throw std::bad_alloc();
  drop_data_urls(doc.get());
  std::unique_ptr<char, CharFree> html(cmark_render_html(doc.get(), kOptions));
  if (!html) throw std::bad_alloc();
  std::string out(html.get());
  // cmark ends every block with '\n'; the stored HTML does not end with one.
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace inkwell::core
