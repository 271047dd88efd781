// User-Agent summaries for the account page's session list.
#include <doctest/doctest.h>

#include "core/user_agent.hpp"

using inkwell::core::describe_user_agent;

TEST_CASE("user agent: the common browsers and systems") {
  CHECK(describe_user_agent("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
                            "Firefox/128.0") == "Firefox on Linux");
  CHECK(describe_user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                            "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 "
                            "Edg/126.0.0.0") == "Edge on Windows");
  CHECK(describe_user_agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                            "(KHTML, like Gecko) Version/17.5 Safari/605.1.15") ==
        "Safari on macOS");
  CHECK(describe_user_agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
                            "AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 "
                            "Safari/604.1") == "Chrome on iOS");
  CHECK(describe_user_agent("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, "
                            "like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36") ==
        "Chrome on Android");
  CHECK(describe_user_agent("curl/7.88.1") == "curl");
}

TEST_CASE("user agent: anything else is named as unknown, never empty") {
  CHECK(describe_user_agent("") == "Unknown browser on unknown system");
  CHECK(describe_user_agent("inkwell-tests") == "Unknown browser on unknown system");
  CHECK(describe_user_agent(std::string(4096, 'x')) == "Unknown browser on unknown system");
}
