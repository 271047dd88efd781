// Atom feeds (RFC 4287) as text: the feed's identity and its entries in, a
// well-formed XML document out. Everything taken from users is escaped, and
// characters XML cannot hold at all are dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace inkwell::core {

struct AtomEntry {
  std::string id;  // an absolute URL (the permalink)
  std::string title;
  std::string updated;  // RFC 3339, "YYYY-MM-DDTHH:MM:SSZ"
  std::string author;
  std::string url;   // rel="alternate"
  std::string html;  // the content, HTML (escaped into the document)
};

struct AtomFeed {
  std::string id;  // an absolute URL
  std::string title;
  std::string self_url;            // where this document lives (absolute)
  std::string html_url;            // the page it mirrors (absolute)
  std::string updated;             // used when there are no entries
  std::vector<AtomEntry> entries;  // newest first
};

// Text for XML character data and attribute values.
std::string xml_escape(std::string_view text);
// The document. The feed's <updated> is its newest entry's, or feed.updated.
std::string atom_document(const AtomFeed& feed);

}  // namespace inkwell::core
