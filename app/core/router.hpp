// The route table: method + pattern → handler, with typed path parameters
// (<int:id>, <name>) and reverse lookup by route name (url_for).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/http.hpp"

namespace inkwell::core {

struct Context;
using Handler = http::Response (*)(Context&);

// What a route demands of the caller before its handler runs. Checked by the
// dispatcher; a route without a guard is open to everyone.
struct Guard {
  bool login = false;           // a logged-in user
  unsigned permission = 0;      // every one of these permission bits
  bool anonymous_only = false;  // visitors only (logged-in users go home)
  // The answer is the same for everyone (an avatar, a feed): no session is
  // looked up, no cookie read or set, and the response stays cacheable even
  // when the client happens to be logged in. GET only.
  bool stateless = false;
  // Not a demand, a note for the access log: answers below 400 are not
  // logged (probes that call every few seconds: /healthz, /metrics).
  bool quiet = false;
};

struct Route {
  unsigned methods;
  std::string_view pattern;  // "/user/<username>", "/post/<int:id>"
  Handler handler;
  std::string_view name;  // "main.user": for url_for
  Guard guard = {};
};

class Router {
 public:
  explicit Router(std::vector<Route> routes);

  struct Match {
    const Route* route = nullptr;  // the route to run, or nullptr
    int index = -1;                // its position in the table (the metrics' label)
    unsigned allowed = 0;          // when route is null: methods the path accepts (405) or 0 (404)
  };
  // Fills params with the path parameters of the matched route.
  Match match(http::Method method, std::string_view path, http::Params& params) const;

  // The path of the named route with its parameters in order; args are
  // percent-encoded. Throws std::out_of_range for an unknown name or a wrong count.
  std::string url_for(std::string_view name,
                      std::initializer_list<std::string_view> args = {}) const;

  // Every route's name in table order: the metrics' route labels.
  std::vector<std::string_view> names() const;

 private:
  struct Segment {
    enum Kind { kLiteral, kString, kInt } kind;
    std::string text;  // the literal, or the parameter name
  };
  struct Compiled {
    Route route;
    std::vector<Segment> segments;
  };
  static std::vector<Segment> compile(std::string_view pattern);
  // parts: the request path split once per request (split_path).
  static bool match_segments(const Compiled& c, const std::vector<std::string_view>& parts,
                             http::Params& params);

  std::vector<Compiled> routes_;
};

}  // namespace inkwell::core
