#include "core/atom.hpp"

namespace inkwell::core {
namespace {

void element(std::string& out, std::string_view name, std::string_view text,
             std::string_view indent) {
  out.append(indent).append("<").append(name).append(">");
  out += xml_escape(text);
  out.append("</").append(name).append(">\n");
}

void link(std::string& out, std::string_view rel, std::string_view type, std::string_view href,
          std::string_view indent) {
  out.append(indent).append("<link rel=\"").append(rel).append("\"");
  if (!type.empty()) out.append(" type=\"").append(type).append("\"");
  out.append(" href=\"").append(xml_escape(href)).append("\"/>\n");
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 has no place for the other C0 controls, not even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

std::string atom_document(const AtomFeed& feed) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  element(out, "id", feed.id, "  ");
  element(out, "title", feed.title, "  ");
  element(out, "updated", feed.entries.empty() ? feed.updated : feed.entries.front().updated, "  ");
  link(out, "self", "application/atom+xml", feed.self_url, "  ");
  link(out, "alternate", "text/html", feed.html_url, "  ");
  for (const AtomEntry& e : feed.entries) {
    out += "  <entry>\n";
    element(out, "id", e.id, "    ");
    element(out, "title", e.title, "    ");
    element(out, "updated", e.updated, "    ");
    out += "    <author>\n";
    element(out, "name", e.author, "      ");
    out += "    </author>\n";
    link(out, "alternate", "text/html", e.url, "    ");
    out += "    <content type=\"html\">";
    out += xml_escape(e.html);
    out += "</content>\n  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

}  // namespace inkwell::core
