// Fuzzes the MIME builder of inkwell-mailer (mailer::build_message,
// envelope_address, address_domain). Recipients, subjects and bodies carry
// what users typed (an email address, a username in a subject, a comment in
// a body); the sender is configuration. Beyond memory safety: no header
// injection (every header line is one the builder writes), CRLF line ends
// only, and an envelope address without spaces, controls or angle brackets.
//
// Input: recipient, subject, text body, HTML body and sender, separated by
// NUL bytes (a NUL in a header is refused like CR and LF):
// "Jo <jo@example.com>\0Hello\0text\0<p>html</p>\0Inkwell <ink@example.com>".
#include "mailer/mime.hpp"

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fields.hpp"

namespace mailer = inkwell::mailer;
using inkwell::fuzz::require;

namespace {

bool plain_address(std::string_view a) {
  if (a.empty()) return false;
  for (unsigned char c : a) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>') return false;
  }
  return true;
}

// Every line ends in CRLF; no lone CR or LF anywhere.
bool crlf_only(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) return false;
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
  }
  return s.size() >= 2 && s.substr(s.size() - 2) == "\r\n";
}

// The header block holds exactly the fields build_message writes, in order,
// each possibly folded onto continuation lines (starting with a space).
bool only_our_headers(std::string_view message) {
  static constexpr std::string_view kFields[] = {
      "From: ", "To: ", "Subject: ", "Date: ", "Message-ID: ", "MIME-Version: ", "Content-Type: "};
  std::size_t next = 0;
  while (true) {
    const std::size_t eol = message.find("\r\n");
    if (eol == std::string_view::npos) return false;
    const std::string_view line = message.substr(0, eol);
    message.remove_prefix(eol + 2);
    if (line.empty()) return next == std::size(kFields);
    if (line.front() == ' ') {
      if (next == 0) return false;
      continue;
    }
    if (next == std::size(kFields) || line.substr(0, kFields[next].size()) != kFields[next]) {
      return false;
    }
    ++next;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [to, subject, text, html, sender] = inkwell::fuzz::fields<5>(data, size);

  std::string domain = "localhost";
  try {
    const std::string envelope = mailer::envelope_address(sender);
    require(plain_address(envelope), "envelope address is one plain token");
    domain = mailer::address_domain(sender);
    require(!domain.empty(), "a domain is never empty");
  } catch (const std::invalid_argument&) {
    // Refused: the mailer stops with the message at start-up.
  }

  inkwell::models::OutboxMessage m;
  m.id = 42;
  m.to = to;
  m.subject = subject;
  m.text = text;
  m.html = html;
  const std::time_t now = 1'700'000'000;
  try {
    const std::string message = mailer::build_message(m, sender, domain, now);
    require(crlf_only(message), "CRLF line ends only");
    require(only_our_headers(message), "no injected header");
  } catch (const std::invalid_argument&) {
    const std::string_view breaks("\r\n\0", 3);
    require(to.find_first_of(breaks) != std::string_view::npos ||
                subject.find_first_of(breaks) != std::string_view::npos ||
                sender.find_first_of(breaks) != std::string_view::npos ||
                to.find_first_not_of(" \t") == std::string_view::npos,
            "refused only for a line break or NUL in a header, or no recipient");
  }
  return 0;
}
