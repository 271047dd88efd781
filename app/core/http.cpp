#include "core/http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>
#include <memory>
#include <new>

namespace inkwell::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

bool icontains(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (iequals(haystack.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view ws = " \t";
  const auto first = s.find_first_not_of(ws);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(ws);
  return s.substr(first, last - first + 1);
}

// RFC 7230 tchar.
bool is_token_char(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_token_char(static_cast<unsigned char>(c)); });
}

// RFC 6265 cookie-octet: printable US-ASCII except space, '"', ',', ';', '\'.
bool is_cookie_octet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

// An attribute value (Path, SameSite): no CTLs and no ';'.
bool is_attribute_value(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7F || c == ';';
  });
}

bool has_header_break(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// IMF-fixdate (RFC 7231 §7.1.1.1), e.g. "Sun, 06 Nov 1994 08:49:37 GMT". The
// names are spelled out here so the result never depends on the C locale.
std::string imf_fixdate(std::time_t t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  constexpr std::time_t kMax = 253402300799;  // 9999-12-31 23:59:59 UTC: four-digit year
  t = std::clamp<std::time_t>(t, 0, kMax);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "Thu, 01 Jan 1970 00:00:00 GMT";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

// now + seconds without signed overflow.
std::time_t saturating_add(std::time_t now, long seconds) {
  using L = std::numeric_limits<std::time_t>;
  if (seconds > 0 && now > L::max() - seconds) return L::max();
  if (seconds < 0 && now < L::min() - seconds) return L::min();
  return now + seconds;
}

struct CurlFree {
  void operator()(char* p) const { curl_free(p); }
};

}  // namespace

// ---- Params ----------------------------------------------------------------

void Params::add(std::string name, std::string value) {
  items_.emplace_back(std::move(name), std::move(value));
}

const std::string* Params::find(std::string_view name) const {
  for (const auto& [n, v] : items_) {
    if (n == name) return &v;
  }
  return nullptr;
}

std::string Params::get(std::string_view name, std::string_view fallback) const {
  const std::string* v = find(name);
  return v ? *v : std::string(fallback);
}

// ---- encoding --------------------------------------------------------------

std::optional<std::string> percent_decode(std::string_view in, bool plus_as_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (in.size() - i < 3) return std::nullopt;
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string url_encode(std::string_view in) {
  // Most arguments (user names, numbers) are unreserved characters only,
  // which curl_easy_escape would give back unchanged: no call, no allocation.
  auto unreserved = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
  };
  if (std::all_of(in.begin(), in.end(), unreserved)) return std::string(in);
  // curl_easy_escape takes an int length, treats 0 as "use strlen" and caps
  // its output buffer, so feed it bounded, non-empty chunks.
  constexpr std::size_t kChunk = 1 << 20;
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    const std::size_t n = std::min(in.size(), kChunk);
    std::unique_ptr<char, CurlFree> enc(curl_easy_escape(nullptr, in.data(), static_cast<int>(n)));
    if (!enc) throw std::bad_alloc();
    out += enc.get();
    in.remove_prefix(n);
  }
  return out;
}

std::size_t utf8_sequence_length(std::string_view s) {
  if (s.empty()) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  // Unicode Table 3-7: well-formed byte sequences. The allowed range of the
  // second byte rules out overlongs, surrogates and code points > U+10FFFF.
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;  // continuation byte, C0/C1 (overlong) or F5..FF
  }
  if (s.size() < len || p[1] < lo || p[1] > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if ((p[k] & 0xC0) != 0x80) return 0;
  }
  return len;
}

bool valid_utf8(std::string_view s) {
  while (!s.empty()) {
    // ASCII, most of any text, passed over 8 bytes at a time.
    std::uint64_t word;
    while (s.size() >= sizeof word) {
      std::memcpy(&word, s.data(), sizeof word);
      if (word & 0x8080808080808080ULL) break;
      s.remove_prefix(sizeof word);
    }
    if (s.empty()) break;
    std::size_t len = utf8_sequence_length(s);
    if (len == 0) return false;
    s.remove_prefix(len);
  }
  return true;
}

std::optional<Params> parse_urlencoded(std::string_view body) {
  Params out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view piece = body.substr(0, amp);
    body.remove_prefix(amp == std::string_view::npos ? body.size() : amp + 1);
    if (piece.empty()) continue;

    const auto eq = piece.find('=');
    const std::string_view raw_name = piece.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);

    auto name = percent_decode(raw_name, true);
    auto value = percent_decode(raw_value, true);
    if (!name || !value) return std::nullopt;
    for (const std::string* s : {&*name, &*value}) {
      if (s->find('\0') != std::string::npos || !valid_utf8(*s)) return std::nullopt;
    }
    if (name->empty()) continue;  // "=x": nothing a form field could be called
    out.add(std::move(*name), std::move(*value));
  }
  return out;
}

std::string media_type(std::string_view content_type) {
  std::string out(trim(content_type.substr(0, content_type.find(';'))));
  for (char& c : out) c = ascii_lower(c);
  return out;
}

Params parse_cookies(std::string_view header) {
  Params out;
  while (!header.empty()) {
    const auto semi = header.find(';');
    const std::string_view piece = header.substr(0, semi);
    header.remove_prefix(semi == std::string_view::npos ? header.size() : semi + 1);

    const auto eq = piece.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = trim(piece.substr(0, eq));
    std::string_view value = trim(piece.substr(eq + 1));
    if (name.empty()) continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    out.add(std::string(name), std::string(value));
  }
  return out;
}

// ---- methods ---------------------------------------------------------------

Method method_from_string(std::string_view m) {
  if (m == "GET") return GET;
  if (m == "POST") return POST;
  if (m == "PUT") return PUT;
  if (m == "DELETE") return DELETE;
  if (m == "HEAD") return HEAD;
  return OTHER;
}

std::string methods_to_string(unsigned methods) {
  static constexpr std::pair<Method, std::string_view> kNames[] = {
      {GET, "GET"}, {POST, "POST"}, {PUT, "PUT"}, {DELETE, "DELETE"}, {HEAD, "HEAD"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((methods & bit) == 0) continue;
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// ---- Request ---------------------------------------------------------------

std::int64_t Request::param_int(std::string_view name) const {
  const std::string& s = param(name);
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw HttpError(404);
  }
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) throw HttpError(404);
  return value;
}

const std::string& Request::param(std::string_view name) const {
  const std::string* v = path_params.find(name);
  if (v == nullptr) throw HttpError(404);
  return *v;
}

bool Request::wants_json() const {
  const std::string* accept = headers.find("accept");
  if (accept == nullptr) return false;
  return icontains(*accept, "application/json") && !icontains(*accept, "text/html");
}

// ---- cookies ---------------------------------------------------------------

std::string serialize_cookie(const Cookie& c) {
  if (!is_token(c.name)) throw std::invalid_argument("invalid cookie name");
  if (!std::all_of(c.value.begin(), c.value.end(),
                   [](char ch) { return is_cookie_octet(static_cast<unsigned char>(ch)); })) {
    throw std::invalid_argument("invalid cookie value");
  }
  if (!is_attribute_value(c.path) || !is_attribute_value(c.same_site)) {
    throw std::invalid_argument("invalid cookie attribute");
  }

  std::string out;
  out.reserve(128 + c.name.size() + c.value.size());
  out += c.name;
  out += '=';
  out += c.value;
  if (!c.path.empty()) {
    out += "; Path=";
    out += c.path;
  }
  if (c.max_age) {
    out += "; Max-Age=";
    out += std::to_string(*c.max_age);
    out += "; Expires=";
    out += imf_fixdate(saturating_add(std::time(nullptr), *c.max_age));
  }
  if (c.http_only) out += "; HttpOnly";
  if (c.secure) out += "; Secure";
  if (!c.same_site.empty()) {
    out += "; SameSite=";
    out += c.same_site;
  }
  return out;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

// ---- Response --------------------------------------------------------------

void Response::header(std::string name, std::string value) {
  // Set-Cookie legitimately repeats; any other header is replaced.
  if (!iequals(name, "Set-Cookie")) {
    for (auto& [n, v] : headers) {
      if (iequals(n, name)) {
        v = std::move(value);
        return;
      }
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

void Response::set_cookie(const Cookie& c) {
  headers.emplace_back("Set-Cookie", serialize_cookie(c));
}

void Response::delete_cookie(std::string_view name, std::string_view path) {
  if (!is_token(name)) throw std::invalid_argument("invalid cookie name");
  if (!is_attribute_value(path)) throw std::invalid_argument("invalid cookie attribute");
  // Spelled out rather than via serialize_cookie: Expires is the epoch, not now.
  std::string line(name);
  line += '=';
  if (!path.empty()) {
    line += "; Path=";
    line += path;
  }
  line += "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax";
  headers.emplace_back("Set-Cookie", std::move(line));
}

bool Response::sets_cookie() const {
  for (const auto& [name, value] : headers) {
    if (iequals(name, "Set-Cookie")) return true;
  }
  return false;
}

std::string Response::head() const {
  const std::string_view reason = reason_phrase(status);
  std::string out;
  out.reserve(64 + headers.size() * 48);
  out += "Status: ";
  out += std::to_string(status);
  out += ' ';
  out += reason;
  out += "\r\n";

  bool has_content_type = false;
  for (const auto& [name, value] : headers) {
    if (!is_token(name)) throw std::invalid_argument("invalid header name");
    if (has_header_break(value)) throw std::invalid_argument("invalid header value");
    if (iequals(name, "Content-Type")) has_content_type = true;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }

  const bool bodiless = body.empty() && ((status >= 300 && status < 400) || status == 204);
  if (!has_content_type && !bodiless) out += "Content-Type: text/html; charset=utf-8\r\n";
  out += "\r\n";
  return out;
}

Response Response::redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

Response Response::html(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
  return r;
}

Response Response::json(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

}  // namespace inkwell::http
