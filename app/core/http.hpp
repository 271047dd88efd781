// Request and Response: the HTTP model every handler sees, plus the strict
// encoding helpers used to build them. No FastCGI and no business rules here.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace inkwell::http {

// An ordered list of name/value pairs (query, form, cookies, path params).
class Params {
 public:
  void add(std::string name, std::string value);
  // The first value for name, or nullptr.
  const std::string* find(std::string_view name) const;
  std::string get(std::string_view name, std::string_view fallback = "") const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// An error a handler throws to answer with a status page (403, 404, 400...).
struct HttpError : std::runtime_error {
  explicit HttpError(int status, std::string message = "")
      : std::runtime_error(message), status(status) {}
  int status;
};

// The value, or a 404 page when there is none: `or_404(find_post(db, id))`.
template <class T>
T or_404(std::optional<T> value) {
  if (!value) throw HttpError(404);
  return std::move(*value);
}

// Decodes %XX sequences (and '+' as space when plus_as_space).
// Returns nullopt for a malformed sequence ("%", "%4", "%zz").
std::optional<std::string> percent_decode(std::string_view in, bool plus_as_space);
// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view in);
bool valid_utf8(std::string_view s);
// The length of the well-formed UTF-8 sequence s starts with, or 0.
std::size_t utf8_sequence_length(std::string_view s);

// application/x-www-form-urlencoded (also query strings). Returns nullopt if
// any name or value is malformed, not UTF-8 or contains a NUL byte.
std::optional<Params> parse_urlencoded(std::string_view body);
// A Cookie request header. Malformed pairs are skipped, never fatal.
Params parse_cookies(std::string_view header);
// The media type of a Content-Type value, lower-cased (media types are
// case-insensitive) and without parameters or surrounding whitespace:
// "Application/JSON ; Charset=UTF-8" → "application/json".
std::string media_type(std::string_view content_type);

enum Method : unsigned { GET = 1, POST = 2, PUT = 4, DELETE = 8, HEAD = 16, OTHER = 1u << 31 };
Method method_from_string(std::string_view m);
std::string methods_to_string(unsigned methods);  // "GET, POST" for Allow

constexpr std::size_t kMaxBody = 1024 * 1024;

struct Request {
  std::string method_name;  // as sent: "GET"
  Method method = GET;
  std::string path;          // decoded path, no query ("/user/john")
  std::string query_string;  // raw
  std::string remote_addr;  // the client's (core::client_address)
  std::string peer_addr;    // the socket peer (REMOTE_ADDR): nginx's client, maybe a proxy
  std::string content_type;
  std::string body;
  Params headers;  // lower-case names with '-' ("user-agent", "accept")
  Params query;    // parsed query string
  Params form;     // parsed urlencoded body (POST)
  Params cookies;
  Params path_params;  // filled by the router
  // Non-zero when reading the request failed (400 malformed, 413 too large):
  // the dispatcher answers with that error page and runs no handler.
  int refused = 0;
  std::string refused_reason;
  // For the access log and metrics: the id nginx gave the request (or one
  // made here), the matched route's index in the table (-1: none), and
  // whether its successful answers go unlogged (health checks).
  std::string request_id;
  int route_index = -1;
  bool quiet = false;

  std::string header(std::string_view lower_name) const { return headers.get(lower_name); }
  // Path parameter as an integer; throws HttpError(404) when absent/invalid.
  std::int64_t param_int(std::string_view name) const;
  const std::string& param(std::string_view name) const;
  // True when the client prefers JSON to HTML (Accept has json but no html).
  bool wants_json() const;
};

struct Cookie {
  std::string name;
  std::string value;
  std::string path = "/";
  std::optional<long> max_age;  // seconds; nullopt = session cookie
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";
};

std::string serialize_cookie(const Cookie& c);
std::string_view reason_phrase(int status);

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void header(std::string name, std::string value);
  void set_cookie(const Cookie& c);
  // Expires the cookie in the browser (same path).
  void delete_cookie(std::string_view name, std::string_view path = "/");
  bool sets_cookie() const;
  // The CGI-style header block ("Status: 200 OK\r\n...\r\n\r\n").
  std::string head() const;

  static Response redirect(std::string location, int status = 302);
  static Response html(std::string body, int status = 200);
  static Response json(std::string body, int status = 200);
};

}  // namespace inkwell::http
