#include "core/router.hpp"

#include <stdexcept>

namespace inkwell::core {
namespace {

// Splits "/a/b/" into {"a", "b", ""}; the leading '/' is required.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  for (;;) {
    std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::vector<Router::Segment> Router::compile(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  std::vector<Segment> segs;
  for (std::string_view part : split_path(pattern)) {
    if (part.size() > 2 && part.front() == '<' && part.back() == '>') {
      std::string_view inner = part.substr(1, part.size() - 2);
      if (inner.rfind("int:", 0) == 0) {
        segs.push_back({Segment::kInt, std::string(inner.substr(4))});
      } else {
        segs.push_back({Segment::kString, std::string(inner)});
      }
    } else {
      segs.push_back({Segment::kLiteral, std::string(part)});
    }
  }
  return segs;
}

Router::Router(std::vector<Route> routes) {
  routes_.reserve(routes.size());
  for (const Route& r : routes) routes_.push_back({r, compile(r.pattern)});
}

bool Router::match_segments(const Compiled& c, const std::vector<std::string_view>& parts,
                            http::Params& params) {
  if (parts.size() != c.segments.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Segment& s = c.segments[i];
    switch (s.kind) {
      case Segment::kLiteral:
        if (parts[i] != s.text) return false;
        break;
      case Segment::kInt:
        if (!all_digits(parts[i])) return false;
        break;
      case Segment::kString:
        if (parts[i].empty()) return false;
        break;
    }
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (c.segments[i].kind != Segment::kLiteral) {
      params.add(c.segments[i].text, std::string(parts[i]));
    }
  }
  return true;
}

Router::Match Router::match(http::Method method, std::string_view path,
                            http::Params& params) const {
  const http::Method wanted = method == http::HEAD ? http::GET : method;
  const std::vector<std::string_view> parts = split_path(path);
  Match m;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Compiled& c = routes_[i];
    http::Params found;
    if (!match_segments(c, parts, found)) continue;
    if (c.route.methods & wanted) {
      m.route = &c.route;
      m.index = static_cast<int>(i);
      params = std::move(found);
      return m;
    }
    m.allowed |= c.route.methods;
  }
  if (m.allowed & http::GET) m.allowed |= http::HEAD;
  return m;
}

std::string Router::url_for(std::string_view name,
                            std::initializer_list<std::string_view> args) const {
  for (const Compiled& c : routes_) {
    if (c.route.name != name) continue;
    std::string out;
    auto arg = args.begin();
    for (const Segment& s : c.segments) {
      out += '/';
      if (s.kind == Segment::kLiteral) {
        out += s.text;
      } else {
        if (arg == args.end())
          throw std::out_of_range("url_for: too few arguments for " + std::string(name));
        out += http::url_encode(*arg++);
      }
    }
    if (arg != args.end())
      throw std::out_of_range("url_for: too many arguments for " + std::string(name));
    return out;
  }
  throw std::out_of_range("url_for: no route named " + std::string(name));
}

std::vector<std::string_view> Router::names() const {
  std::vector<std::string_view> out;
  out.reserve(routes_.size());
  for (const Compiled& c : routes_) out.push_back(c.route.name);
  return out;
}

}  // namespace inkwell::core
