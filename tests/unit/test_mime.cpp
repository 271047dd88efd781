// Unit tests for mailer/mime: the multipart message handed to SMTP.
//
// The unit-test binary links libinkwell.a and libhandlers.a only, not the
// mailer's objects, so the (dependency-free) MIME builder is compiled in here.
#include <cryptopp/base64.h>
#include <cryptopp/filters.h>
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mailer/mime.hpp"

namespace {

using inkwell::mailer::build_message;
using inkwell::mailer::envelope_address;
using inkwell::models::OutboxMessage;

constexpr std::string_view kSender = "Inkwell Admin <inkwell@example.com>";

OutboxMessage sample() {
  OutboxMessage m;
  m.id = 42;
  m.to = "susan@example.org";
  m.subject = "[Inkwell] Confirm Your Account";
  m.text = "Dear susan,\r\n\r\nWelcome to Inkwell!\r\n.\r\nA line with a dot above.\r\n";
  m.html = "<p>Dear susan,</p>\r\n<p>Welcome to <b>Inkwell</b>! &amp; caf\xc3\xa9</p>\r\n";
  return m;
}

std::string b64decode(std::string_view text) {
  std::string out;
  CryptoPP::StringSource(reinterpret_cast<const CryptoPP::byte*>(text.data()), text.size(), true,
                         new CryptoPP::Base64Decoder(new CryptoPP::StringSink(out)));
  return out;
}

struct Part {
  std::string headers;
  std::string body;  // as transmitted (base64)
};

struct Parsed {
  std::string headers;  // unfolded: continuation lines joined
  std::string boundary;
  std::string preamble;
  std::vector<Part> parts;
  bool closed = false;
};

std::string header(const std::string& headers, std::string_view name) {
  std::string needle = "\r\n" + std::string(name) + ": ";
  std::string h = "\r\n" + headers;
  std::size_t p = h.find(needle);
  if (p == std::string::npos) return {};
  p += needle.size();
  return h.substr(p, h.find("\r\n", p) - p);
}

int count(std::string_view hay, std::string_view needle) {
  int n = 0;
  for (std::size_t p = hay.find(needle); p != std::string_view::npos;
       p = hay.find(needle, p + needle.size())) {
    ++n;
  }
  return n;
}

Parsed parse(const std::string& msg) {
  Parsed r;
  std::size_t end = msg.find("\r\n\r\n");
  REQUIRE(end != std::string::npos);
  std::string raw = msg.substr(0, end + 2);
  // Unfold: CRLF followed by a space continues the previous header.
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw.compare(i, 3, "\r\n ") == 0) {
      i += 2;  // drops CRLF, keeps the space
    }
    r.headers.push_back(raw[i]);
  }
  std::string ct = header(r.headers, "Content-Type");
  std::string prefix = "multipart/alternative; boundary=\"";
  REQUIRE(ct.rfind(prefix, 0) == 0);
  REQUIRE(ct.back() == '"');
  r.boundary = ct.substr(prefix.size(), ct.size() - prefix.size() - 1);

  std::string body = msg.substr(end + 4);
  std::string delim = "--" + r.boundary;
  std::size_t p = body.find(delim + "\r\n");
  REQUIRE(p != std::string::npos);
  r.preamble = body.substr(0, p);
  while (true) {
    std::size_t start = p + delim.size() + 2;
    std::size_t next = body.find("\r\n" + delim, start - 2);
    REQUIRE(next != std::string::npos);
    std::string part = body.substr(start, next + 2 - start);
    std::size_t sep = part.find("\r\n\r\n");
    REQUIRE(sep != std::string::npos);
    r.parts.push_back({part.substr(0, sep + 2), part.substr(sep + 4)});
    p = next + 2;
    if (body.compare(p + delim.size(), 4, "--\r\n") == 0) {
      r.closed = true;
      CHECK(p + delim.size() + 4 == body.size());
      break;
    }
    REQUIRE(body.compare(p + delim.size(), 2, "\r\n") == 0);
  }
  return r;
}

// Decodes a header value made of RFC 2047 B-encoded UTF-8 words.
std::string decode_words(std::string_view v) {
  std::string out;
  while (!v.empty()) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    if (v.empty()) break;
    REQUIRE(v.substr(0, 10) == "=?UTF-8?B?");
    std::size_t e = v.find("?=", 10);
    REQUIRE(e != std::string_view::npos);
    out += b64decode(v.substr(10, e - 10));
    v.remove_prefix(e + 2);
  }
  return out;
}

void check_crlf_only(const std::string& msg) {
  for (std::size_t i = 0; i < msg.size(); ++i) {
    if (msg[i] == '\n') {
      REQUIRE(i > 0);
      CHECK(msg[i - 1] == '\r');
    }
    if (msg[i] == '\r') {
      REQUIRE(i + 1 < msg.size());
      CHECK(msg[i + 1] == '\n');
    }
  }
  CHECK(msg.size() >= 2);
  CHECK(msg.compare(msg.size() - 2, 2, "\r\n") == 0);
}

}  // namespace

TEST_CASE("mime: multipart/alternative with a text and an HTML part") {
  OutboxMessage m = sample();
  std::string msg = build_message(m, kSender, "example.com", 1700000000);
  Parsed p = parse(msg);

  CHECK(header(p.headers, "From") == "Inkwell Admin <inkwell@example.com>");
  CHECK(header(p.headers, "To") == "susan@example.org");
  CHECK(header(p.headers, "Subject") == "[Inkwell] Confirm Your Account");
  CHECK(header(p.headers, "Date") == "Tue, 14 Nov 2023 22:13:20 +0000");
  CHECK(header(p.headers, "MIME-Version") == "1.0");
  std::string id = header(p.headers, "Message-ID");
  CHECK(id.rfind("<outbox-42.", 0) == 0);
  CHECK(id.size() > std::string("<outbox-42.@example.com>").size());
  CHECK(id.compare(id.size() - 13, 13, "@example.com>") == 0);

  REQUIRE(p.parts.size() == 2);
  CHECK(p.closed);
  CHECK(header(p.parts[0].headers, "Content-Type") == "text/plain; charset=utf-8");
  CHECK(header(p.parts[1].headers, "Content-Type") == "text/html; charset=utf-8");
  for (const Part& part : p.parts) {
    CHECK(header(part.headers, "Content-Transfer-Encoding") == "base64");
    // 76-character lines at most.
    std::size_t start = 0;
    for (std::size_t e = part.body.find("\r\n"); e != std::string::npos;
         e = part.body.find("\r\n", start)) {
      CHECK(e - start <= 76);
      start = e + 2;
    }
  }
  CHECK(b64decode(p.parts[0].body) == m.text);
  CHECK(b64decode(p.parts[1].body) == m.html);
}

TEST_CASE("mime: CRLF line endings everywhere, bare LF bodies canonicalised") {
  OutboxMessage m = sample();
  m.text = "line one\nline two\rline three\r\n\nend";
  m.html = "<p>a</p>\n<p>b</p>";
  std::string msg = build_message(m, kSender, "example.com", 0);
  check_crlf_only(msg);
  Parsed p = parse(msg);
  CHECK(header(p.headers, "Date") == "Thu, 01 Jan 1970 00:00:00 +0000");
  REQUIRE(p.parts.size() == 2);
  CHECK(b64decode(p.parts[0].body) == "line one\r\nline two\r\nline three\r\n\r\nend");
  CHECK(b64decode(p.parts[1].body) == "<p>a</p>\r\n<p>b</p>");
  // Every header line is short and 7-bit.
  std::string head = msg.substr(0, msg.find("\r\n\r\n") + 2);
  std::size_t start = 0;
  for (std::size_t e = head.find("\r\n"); e != std::string::npos; e = head.find("\r\n", start)) {
    CHECK(e - start <= 78);
    start = e + 2;
  }
}

TEST_CASE("mime: the boundary occurs only as delimiters, never in the bodies") {
  OutboxMessage m = sample();
  // Bodies that look like MIME delimiters themselves.
  m.text = "--=_inkwell_\r\n--\r\n=_ =_inkwell_ ==_\r\n";
  m.html = "<pre>--=_inkwell_x--</pre>";
  std::string msg = build_message(m, kSender, "example.com", 0);
  Parsed p = parse(msg);
  CHECK(p.boundary.rfind("=_inkwell_", 0) == 0);
  CHECK(p.boundary.size() >= 30);
  CHECK(count(msg, p.boundary) == 4);  // Content-Type, two delimiters, the close
  CHECK(count(msg, "--" + p.boundary) == 3);
  REQUIRE(p.parts.size() == 2);
  for (const Part& part : p.parts) CHECK(part.body.find(p.boundary) == std::string::npos);
  CHECK(b64decode(p.parts[0].body) == m.text);
  CHECK(b64decode(p.parts[1].body) == m.html);

  // Random per message.
  Parsed q = parse(build_message(m, kSender, "example.com", 0));
  CHECK(q.boundary != p.boundary);
  CHECK(header(q.headers, "Message-ID") != header(p.headers, "Message-ID"));
}

TEST_CASE("mime: empty bodies still give two parts") {
  OutboxMessage m = sample();
  m.text.clear();
  m.html.clear();
  std::string msg = build_message(m, kSender, "example.com", 0);
  check_crlf_only(msg);
  Parsed p = parse(msg);
  REQUIRE(p.parts.size() == 2);
  CHECK(b64decode(p.parts[0].body).empty());
  CHECK(b64decode(p.parts[1].body).empty());
}

TEST_CASE("mime: non-ASCII subjects become RFC 2047 encoded words") {
  OutboxMessage m = sample();
  // "[Inkwell] Grüße aus Köln ✓" and a long one that needs several words.
  m.subject =
      "[Inkwell] Gr\xc3\xbc\xc3\x9f"
      "e aus K\xc3\xb6ln \xe2\x9c\x93";
  std::string msg = build_message(m, kSender, "example.com", 0);
  Parsed p = parse(msg);
  std::string subject = header(p.headers, "Subject");
  CHECK(subject.rfind("=?UTF-8?B?", 0) == 0);
  CHECK(decode_words(subject) == m.subject);

  std::string long_subject = "[Inkwell] ";
  for (int i = 0; i < 40; ++i) long_subject += "\xc3\xa9\xe2\x9c\x93";  // é✓, 5 bytes
  m.subject = long_subject;
  msg = build_message(m, kSender, "example.com", 0);
  check_crlf_only(msg);
  for (unsigned char c : msg) CHECK(c < 0x80);  // the whole message is 7-bit
  p = parse(msg);
  subject = header(p.headers, "Subject");
  CHECK(count(subject, "=?UTF-8?B?") > 1);
  CHECK(decode_words(subject) == long_subject);
  // Each word is whole UTF-8: decoding each word alone gives valid pieces.
  std::string_view rest = subject;
  while (!rest.empty()) {
    std::size_t e = rest.find("?=");
    std::string piece = b64decode(rest.substr(10, e - 10));
    CHECK((static_cast<unsigned char>(piece.front()) & 0xC0) != 0x80);
    CHECK(e + 2 <= 75);
    rest.remove_prefix(std::min(rest.size(), e + 3));
  }
}

TEST_CASE("mime: plain ASCII subjects stay readable unless they look encoded") {
  OutboxMessage m = sample();
  m.subject = "[Inkwell] Reset Your Password";
  CHECK(header(parse(build_message(m, kSender, "x.org", 0)).headers, "Subject") ==
        "[Inkwell] Reset Your Password");
  m.subject = "=?UTF-8?B?aGk=?=";
  std::string s = header(parse(build_message(m, kSender, "x.org", 0)).headers, "Subject");
  CHECK(s != m.subject);
  CHECK(decode_words(s) == m.subject);
}

TEST_CASE("mime: a non-ASCII display name is encoded, the address kept") {
  OutboxMessage m = sample();
  std::string from = header(
      parse(build_message(m, "J\xc3\xb6rg <joerg@example.com>", "example.com", 0)).headers, "From");
  CHECK(from.find(" <joerg@example.com>") != std::string::npos);
  CHECK(decode_words(from.substr(0, from.find(" <"))) == "J\xc3\xb6rg");
}

TEST_CASE("mime: header injection through subject, recipient or sender is refused") {
  OutboxMessage m = sample();
  m.subject = "Hello\r\nBcc: victim@example.net";
  CHECK_THROWS_AS(build_message(m, kSender, "example.com", 0), std::invalid_argument);
  m.subject = "Hello\nBcc: victim@example.net";
  CHECK_THROWS_AS(build_message(m, kSender, "example.com", 0), std::invalid_argument);
  m.subject = "Hello\rX";
  CHECK_THROWS_AS(build_message(m, kSender, "example.com", 0), std::invalid_argument);

  m = sample();
  m.to = "a@example.com\r\nBcc: victim@example.net";
  CHECK_THROWS_AS(build_message(m, kSender, "example.com", 0), std::invalid_argument);
  m.to = "";
  CHECK_THROWS_AS(build_message(m, kSender, "example.com", 0), std::invalid_argument);

  m = sample();
  CHECK_THROWS_AS(build_message(m, "Admin <a@b.c>\nBcc: x@y.z", "example.com", 0),
                  std::invalid_argument);
  m.subject = std::string("nul\0byte", 8);
  CHECK_THROWS_AS(build_message(m, kSender, "example.com", 0), std::invalid_argument);
}

TEST_CASE("mime: envelope_address extracts the bare address") {
  CHECK(envelope_address("Inkwell Admin <inkwell@example.com>") == "inkwell@example.com");
  CHECK(envelope_address("inkwell@example.com") == "inkwell@example.com");
  CHECK(envelope_address("  inkwell@example.com  ") == "inkwell@example.com");
  CHECK(envelope_address("<inkwell@example.com>") == "inkwell@example.com");
  CHECK(envelope_address("\"Admin <root>\" < admin@example.com >") == "admin@example.com");
  CHECK(envelope_address("J\xc3\xb6rg <joerg@example.com>") == "joerg@example.com");
  CHECK_THROWS_AS(envelope_address(""), std::invalid_argument);
  CHECK_THROWS_AS(envelope_address("   "), std::invalid_argument);
  CHECK_THROWS_AS(envelope_address("Name <>"), std::invalid_argument);
  CHECK_THROWS_AS(envelope_address("Name <a@b.c"), std::invalid_argument);
  CHECK_THROWS_AS(envelope_address("two words@example.com"), std::invalid_argument);
  CHECK_THROWS_AS(envelope_address("a@b.c\r\nRCPT TO:<x@y>"), std::invalid_argument);
  CHECK(inkwell::mailer::address_domain(kSender) == "example.com");
  CHECK(inkwell::mailer::address_domain("root") == "localhost");
}
