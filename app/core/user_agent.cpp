#include "core/user_agent.hpp"

#include <array>
#include <utility>

namespace inkwell::core {
namespace {

bool has(std::string_view s, std::string_view token) {
  return s.find(token) != std::string_view::npos;
}

// Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari",
// Android says "Linux", iOS browsers say "like Mac OS X".
std::string_view browser_of(std::string_view ua) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kBrowsers{{
      {"Edg/", "Edge"},
      {"OPR/", "Opera"},
      {"Firefox/", "Firefox"},
      {"FxiOS/", "Firefox"},
      {"CriOS/", "Chrome"},
      {"Chromium/", "Chromium"},
      {"Chrome/", "Chrome"},
      {"Safari/", "Safari"},
      {"curl/", "curl"},
  }};
  for (const auto& [token, name] : kBrowsers) {
    if (has(ua, token)) return name;
  }
  return "Unknown browser";
}

std::string_view system_of(std::string_view ua) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kSystems{{
      {"Android", "Android"},
      {"iPhone", "iOS"},
      {"iPad", "iPadOS"},
      {"Windows", "Windows"},
      {"CrOS", "ChromeOS"},
      {"Mac OS X", "macOS"},
      {"Macintosh", "macOS"},
      {"Linux", "Linux"},
  }};
  for (const auto& [token, name] : kSystems) {
    if (has(ua, token)) return name;
  }
  return "unknown system";
}

}  // namespace

std::string describe_user_agent(std::string_view ua) {
  std::string_view browser = browser_of(ua);
  if (browser == "curl") return "curl";
  return std::string(browser) + " on " + std::string(system_of(ua));
}

}  // namespace inkwell::core
