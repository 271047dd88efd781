#include "mailer/mime.hpp"

#include <cryptopp/base64.h>
#include <cryptopp/filters.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include "core/security.hpp"

namespace inkwell::mailer {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// Bytes of UTF-8 per encoded word: 42 bytes -> 56 base64 characters -> a
// 68-character word, so "Subject: " + word stays within 78 characters.
constexpr std::size_t kWordBytes = 42;

bool is_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Refuses what would end a header line early: the root of header injection.
void check_header_value(std::string_view what, std::string_view value) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    throw std::invalid_argument(std::string(what) + " contains a line break or NUL");
  }
}

std::string_view trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Base64 with 76-character lines, each ending in CRLF (the last one too).
std::string base64_lines(std::string_view data) {
  std::string raw;
  CryptoPP::StringSource(reinterpret_cast<const CryptoPP::byte*>(data.data()), data.size(), true,
                         new CryptoPP::Base64Encoder(new CryptoPP::StringSink(raw), true, 76));
  std::string out;
  out.reserve(raw.size() + raw.size() / 76 + 2);
  for (char c : raw) {
    if (c == '\n') {
      out.append(kCrlf);
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() != '\n') out.append(kCrlf);
  return out;
}

std::string base64_flat(std::string_view data) {
  std::string out;
  CryptoPP::StringSource(reinterpret_cast<const CryptoPP::byte*>(data.data()), data.size(), true,
                         new CryptoPP::Base64Encoder(new CryptoPP::StringSink(out), false));
  return out;
}

// Text in MIME canonical form: every line break (CRLF, LF or a lone CR) is CRLF.
std::string canonical_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      out.append(kCrlf);
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out.append(kCrlf);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// RFC 2047 encoded words for `text`, folded onto continuation lines; a word
// never splits a UTF-8 sequence.
std::string encoded_words(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    std::size_t n = std::min(kWordBytes, text.size());
    if (n < text.size()) {
      // Back up to the first byte of a UTF-8 sequence (not 10xxxxxx).
      std::size_t cut = n;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      if (cut > 0) n = cut;
    }
    if (!out.empty()) out.append("\r\n ");
    out.append("=?UTF-8?B?").append(base64_flat(text.substr(0, n))).append("?=");
    text.remove_prefix(n);
  }
  return out;
}

// Subject value: as is when plain ASCII that cannot be mistaken for an
// encoded word, otherwise encoded words.
std::string subject_value(std::string_view subject) {
  if (is_ascii(subject) && subject.find("=?") == std::string_view::npos) {
    return std::string(subject);
  }
  return encoded_words(subject);
}

// An address header value ("Name <addr>" or "addr"): a non-ASCII display name
// becomes encoded words; the rest is kept as written.
std::string mailbox_value(std::string_view mailbox) {
  mailbox = trim(mailbox);
  if (is_ascii(mailbox)) return std::string(mailbox);
  std::size_t lt = mailbox.rfind('<');
  if (lt == std::string_view::npos) return std::string(mailbox);
  std::string_view name = trim(mailbox.substr(0, lt));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  if (name.empty() || is_ascii(name)) return std::string(mailbox);
  return encoded_words(name) + " " + std::string(mailbox.substr(lt));
}

std::string rfc5322_date(std::time_t now) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

void append_part(std::string& out, std::string_view boundary, std::string_view type,
                 std::string_view body) {
  out.append("--").append(boundary).append(kCrlf);
  out.append("Content-Type: ").append(type).append("; charset=utf-8").append(kCrlf);
  out.append("Content-Transfer-Encoding: base64").append(kCrlf);
  out.append(kCrlf);
  out.append(base64_lines(canonical_lines(body)));
}

bool valid_domain(std::string_view d) {
  if (d.empty()) return false;
  for (unsigned char c : d) {
    if (!(std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '[' || c == ']' ||
          c == ':')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string envelope_address(std::string_view sender) {
  for (unsigned char c : sender) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      throw std::invalid_argument("mail address contains a control character");
    }
  }
  std::string_view s = trim(sender);
  std::string_view addr = s;
  std::size_t lt = s.rfind('<');
  if (lt != std::string_view::npos) {
    std::size_t gt = s.find('>', lt);
    if (gt == std::string_view::npos) {
      throw std::invalid_argument("mail address has an unclosed '<': " + std::string(s));
    }
    addr = trim(s.substr(lt + 1, gt - lt - 1));
  }
  if (addr.empty()) throw std::invalid_argument("mail address is empty");
  for (unsigned char c : addr) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>') {
      throw std::invalid_argument("not a mail address: " + std::string(s));
    }
  }
  return std::string(addr);
}

std::string address_domain(std::string_view sender) {
  std::string addr = envelope_address(sender);
  std::size_t at = addr.rfind('@');
  if (at == std::string::npos || at + 1 == addr.size()) return "localhost";
  return addr.substr(at + 1);
}

std::string build_message(const models::OutboxMessage& m, std::string_view sender,
                          std::string_view message_id_domain, std::time_t now) {
  check_header_value("sender", sender);
  check_header_value("recipient", m.to);
  check_header_value("subject", m.subject);
  if (trim(m.to).empty()) throw std::invalid_argument("recipient is empty");
  std::string domain(valid_domain(message_id_domain) ? message_id_domain : "localhost");

  // Base64 bodies never contain "=_", so this boundary cannot occur in them.
  const std::string boundary = "=_inkwell_" + security::random_salt(24);

  std::string out;
  out.reserve(512 + (m.text.size() + m.html.size()) * 14 / 10);
  out.append("From: ").append(mailbox_value(sender)).append(kCrlf);
  out.append("To: ").append(mailbox_value(m.to)).append(kCrlf);
  out.append("Subject: ").append(subject_value(m.subject)).append(kCrlf);
  out.append("Date: ").append(rfc5322_date(now)).append(kCrlf);
  out.append("Message-ID: <outbox-")
      .append(std::to_string(m.id))
      .append(".")
      .append(security::random_salt(16))
      .append("@")
      .append(domain)
      .append(">")
      .append(kCrlf);
  out.append("MIME-Version: 1.0").append(kCrlf);
  out.append("Content-Type: multipart/alternative;\r\n boundary=\"")
      .append(boundary)
      .append("\"")
      .append(kCrlf);
  out.append(kCrlf);
  out.append("This is a multi-part message in MIME format.").append(kCrlf);
  out.append(kCrlf);
  append_part(out, boundary, "text/plain", m.text);
  append_part(out, boundary, "text/html", m.html);
  out.append("--").append(boundary).append("--").append(kCrlf);
  return out;
}

}  // namespace inkwell::mailer
