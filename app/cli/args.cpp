#include <charconv>
#include <stdexcept>

#include "cli/commands.hpp"

namespace inkwell::cli {

std::string Args::value(std::string_view name) const {
  for (std::size_t i = 0; i + 1 < args_.size(); ++i) {
    if (args_[i] == name) return args_[i + 1];
  }
  throw std::invalid_argument(std::string(name) + " is required");
}

std::string Args::value_or(std::string_view name, std::string_view fallback) const {
  for (std::size_t i = 0; i + 1 < args_.size(); ++i) {
    if (args_[i] == name) return args_[i + 1];
  }
  return std::string(fallback);
}

long Args::number(std::string_view name, long fallback, long min, long max) const {
  std::string text = value_or(name, "");
  if (text.empty()) return fallback;
  long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    throw std::invalid_argument(std::string(name) + " must be a number from " +
                                std::to_string(min) + " to " + std::to_string(max));
  }
  return v;
}

void Args::expect(std::initializer_list<std::string_view> options,
                  std::initializer_list<std::string_view> flags) const {
  auto listed = [](std::initializer_list<std::string_view> list, std::string_view a) {
    for (std::string_view x : list) {
      if (x == a) return true;
    }
    return false;
  };
  for (std::size_t i = 0; i < args_.size(); ++i) {
    if (listed(options, args_[i])) {
      if (i + 1 == args_.size()) throw std::invalid_argument(args_[i] + " needs a value");
      ++i;
    } else if (!listed(flags, args_[i])) {
      throw std::invalid_argument("unknown argument '" + args_[i] + "'");
    }
  }
}

bool Args::flag(std::string_view name) const {
  for (const auto& a : args_) {
    if (a == name) return true;
  }
  return false;
}

std::string Args::positional(std::size_t i) const {
  std::size_t n = 0;
  for (const auto& a : args_) {
    if (a.rfind("--", 0) == 0) continue;
    if (n++ == i) return a;
  }
  return "";
}

long parse_age(std::string_view text) {
  long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  long scale = unit == "d" ? 86400 : unit == "h" ? 3600 : unit == "m" ? 60 : unit == "s" ? 1 : 0;
  if (ec != std::errc() || end == text.data() || v < 0 || scale == 0 || v > 3650L * 86400 / scale) {
    throw std::invalid_argument("'" + std::string(text) +
                                "' is not an age (a number and d, h, m or s: 30d)");
  }
  return v * scale;
}

}  // namespace inkwell::cli
