#include <doctest/doctest.h>

#include <string>

#include "core/markdown.hpp"

using inkwell::core::markdown_to_html;

namespace {

bool has(const std::string& html, std::string_view needle) {
  return html.find(needle) != std::string::npos;
}

// Nothing that a browser would run: no tag from the input, no script URL.
void check_inert(const std::string& html) {
  CHECK_FALSE(has(html, "<script"));
  CHECK_FALSE(has(html, "<img src=x"));
  CHECK_FALSE(has(html, "onerror="));
  CHECK_FALSE(has(html, "onclick="));
  CHECK_FALSE(has(html, "<iframe"));
  CHECK_FALSE(has(html, "<div"));
  CHECK_FALSE(has(html, "href=\"javascript:"));
  CHECK_FALSE(has(html, "src=\"javascript:"));
  for (const char* scheme : {"javascript:", "JAVASCRIPT:", "vbscript:", "file:", "data:"}) {
    CHECK_FALSE(has(html, std::string("href=\"") + scheme));
    CHECK_FALSE(has(html, std::string("src=\"") + scheme));
  }
}

}  // namespace

TEST_CASE("markdown: emphasis renders exactly, without a trailing newline") {
  CHECK(markdown_to_html("body of the *blog* post") == "<p>body of the <em>blog</em> post</p>");
  CHECK(markdown_to_html("**strong** and `code`") ==
        "<p><strong>strong</strong> and <code>code</code></p>");
  CHECK(markdown_to_html("") == "");
}

TEST_CASE("markdown: common blocks") {
  CHECK(markdown_to_html("# Title\n\npara") == "<h1>Title</h1>\n<p>para</p>");
  CHECK(markdown_to_html("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>");
  CHECK(markdown_to_html("```\nx < y\n```") == "<pre><code>x &lt; y\n</code></pre>");
  CHECK(markdown_to_html("> quoted") == "<blockquote>\n<p>quoted</p>\n</blockquote>");
  CHECK(markdown_to_html("[site](https://example.com/a?b=1&c=2 \"T\")") ==
        "<p><a href=\"https://example.com/a?b=1&amp;c=2\" title=\"T\">site</a></p>");
  CHECK(markdown_to_html("<https://example.com>") ==
        "<p><a href=\"https://example.com\">https://example.com</a></p>");
  CHECK(markdown_to_html("![alt](/static/x.png)") ==
        "<p><img src=\"/static/x.png\" alt=\"alt\" /></p>");
}

TEST_CASE("markdown: text is escaped") {
  CHECK(markdown_to_html("a < b & c > d \"q\"") == "<p>a &lt; b &amp; c &gt; d &quot;q&quot;</p>");
  CHECK(markdown_to_html("`<script>`") == "<p><code>&lt;script&gt;</code></p>");
}

TEST_CASE("markdown: raw HTML is never passed through") {
  std::string html = markdown_to_html("<script>alert(1)</script>");
  CHECK(html == "<!-- raw HTML omitted -->");
  check_inert(html);

  html = markdown_to_html("<div onclick=\"alert(1)\">\nhi\n</div>");
  check_inert(html);
  CHECK(has(html, "raw HTML omitted"));

  html = markdown_to_html("<iframe src=\"https://evil.example\"></iframe>");
  check_inert(html);

  html = markdown_to_html("a <img src=x onerror=alert(1)> b");
  CHECK(html == "<p>a <!-- raw HTML omitted --> b</p>");
  check_inert(html);

  html = markdown_to_html("<a href=\"javascript:alert(1)\">x</a>");
  CHECK(html == "<p><!-- raw HTML omitted -->x<!-- raw HTML omitted --></p>");
  check_inert(html);

  check_inert(markdown_to_html("<scr<script>ipt>alert(1)</script>"));
  check_inert(markdown_to_html("<!-- x --><script>alert(1)</script>"));
  check_inert(markdown_to_html("<svg/onload=alert(1)>"));
}

TEST_CASE("markdown: dangerous link schemes are dropped") {
  CHECK(markdown_to_html("[x](javascript:alert(1))") == "<p><a href=\"\">x</a></p>");
  CHECK(markdown_to_html("[x](JAVASCRIPT:alert(1))") == "<p><a href=\"\">x</a></p>");
  CHECK(markdown_to_html("[x](JaVaScRiPt:alert(1))") == "<p><a href=\"\">x</a></p>");
  CHECK(markdown_to_html("![](javascript:alert(1))") == "<p><img src=\"\" alt=\"\" /></p>");
  CHECK(markdown_to_html("[x](<javascript:alert(1)>)") == "<p><a href=\"\">x</a></p>");
  CHECK(markdown_to_html("[x](&#106;avascript:alert(1))") == "<p><a href=\"\">x</a></p>");
  CHECK(markdown_to_html("[x](javascript&colon;alert(1))") == "<p><a href=\"\">x</a></p>");
  CHECK(markdown_to_html("[x]\n\n[x]: javascript:alert(1)") == "<p><a href=\"\">x</a></p>");
  CHECK(markdown_to_html("<javascript:alert(1)>") == "<p><a href=\"\">javascript:alert(1)</a></p>");
  CHECK(markdown_to_html("[x](vbscript:msgbox(1))") == "<p><a href=\"\">x</a></p>");
  CHECK(markdown_to_html("[x](file:///etc/passwd)") == "<p><a href=\"\">x</a></p>");
  CHECK(markdown_to_html("[x](data:text/html;base64,PHNjcmlwdD4=)") == "<p><a href=\"\">x</a></p>");
  // cmark lets data:image/* through; we do not.
  CHECK(markdown_to_html("![x](data:image/png;base64,AAAA)") ==
        "<p><img src=\"\" alt=\"x\" /></p>");
  CHECK(markdown_to_html("[x](DATA:image/gif;base64,AAAA)") == "<p><a href=\"\">x</a></p>");
}

TEST_CASE("markdown: attributes cannot be broken out of") {
  std::string html = markdown_to_html("[x](http://a.example/\"onmouseover=\"alert(1))");
  CHECK(html == "<p><a href=\"http://a.example/%22onmouseover=%22alert(1)\">x</a></p>");
  html = markdown_to_html("![a\"onerror=alert(1)](x.png)");
  CHECK(html == "<p><img src=\"x.png\" alt=\"a&quot;onerror=alert(1)\" /></p>");
  html = markdown_to_html("[x](https://a.example \"t\\\" onmouseover=alert(1)\")");
  CHECK_FALSE(has(html, "\" onmouseover"));
}

TEST_CASE("markdown: invalid UTF-8 and NUL bytes do not get through") {
  std::string html = markdown_to_html(std::string("a\xff b", 4));
  CHECK(html == "<p>a\xEF\xBF\xBD b</p>");
  html = markdown_to_html(std::string("a\0b", 3));
  CHECK(html ==
        "<p>a\xEF\xBF\xBD"
        "b</p>");
}
