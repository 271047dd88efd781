// A short, human summary of a User-Agent header for the account page:
// "Firefox on Linux", "Safari on iOS", "curl". Only the common browsers and
// systems are named; anything else is "Unknown browser" / "unknown system".
#pragma once

#include <string>
#include <string_view>

namespace inkwell::core {

std::string describe_user_agent(std::string_view user_agent);

}  // namespace inkwell::core
