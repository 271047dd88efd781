#include <doctest/doctest.h>

#include <string>

#include "core/atom.hpp"

namespace core = inkwell::core;

namespace {

bool has(const std::string& s, std::string_view needle) {
  return s.find(needle) != std::string::npos;
}

core::AtomFeed a_feed() {
  core::AtomFeed f;
  f.id = "http://example.test/feed.atom";
  f.title = "Inkwell";
  f.self_url = "http://example.test/feed.atom";
  f.html_url = "http://example.test/";
  f.updated = "2020-01-01T00:00:00Z";
  return f;
}

}  // namespace

TEST_CASE("atom: escaping for XML") {
  CHECK(core::xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
  CHECK(core::xml_escape("tab\tnl\ncr\r") == "tab\tnl\ncr\r");
  CHECK(core::xml_escape(std::string("bell\x07nul\0end", 12)) == "bellnulend");
  CHECK(core::xml_escape("caf\u00e9") == "caf\u00e9");
}

TEST_CASE("atom: an empty feed has its identity and the fallback time") {
  const std::string doc = core::atom_document(a_feed());
  CHECK(doc.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
                  "xmlns=\"http://www.w3.org/2005/Atom\">",
                  0) == 0);
  CHECK(has(doc, "<id>http://example.test/feed.atom</id>"));
  CHECK(has(doc, "<title>Inkwell</title>"));
  CHECK(has(doc, "<updated>2020-01-01T00:00:00Z</updated>"));
  CHECK(has(
      doc,
      "<link rel=\"self\" type=\"application/atom+xml\" href=\"http://example.test/feed.atom\"/>"));
  CHECK_FALSE(has(doc, "<entry>"));
  CHECK(doc.ends_with("</feed>\n"));
}

TEST_CASE("atom: entries carry escaped HTML content, the feed the newest time") {
  core::AtomFeed f = a_feed();
  f.entries.push_back({"http://example.test/post/2", "Post by <ann>", "2021-05-06T07:08:09Z",
                       "<ann>", "http://example.test/post/2?a=1&b=2", "<p>a &amp; b</p>"});
  f.entries.push_back({"http://example.test/post/1", "Post by bob", "2020-02-02T00:00:00Z", "bob",
                       "http://example.test/post/1", "<p>old</p>"});
  const std::string doc = core::atom_document(f);
  CHECK(has(doc, "  <updated>2021-05-06T07:08:09Z</updated>\n  <link"));
  CHECK(has(doc, "<title>Post by &lt;ann&gt;</title>"));
  CHECK(has(doc, "<author>\n      <name>&lt;ann&gt;</name>\n    </author>"));
  CHECK(has(doc, "href=\"http://example.test/post/2?a=1&amp;b=2\""));
  CHECK(has(doc, "<content type=\"html\">&lt;p&gt;a &amp;amp; b&lt;/p&gt;</content>"));
  CHECK(doc.find("post/2</id>") < doc.find("post/1</id>"));
}
