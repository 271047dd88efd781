// core::client_address and TrustedProxies: whose X-Forwarded-For is believed.
#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "core/client_address.hpp"
#include "core/config.hpp"

using inkwell::core::client_address;
using inkwell::core::format_ip;
using inkwell::core::parse_ip;
using inkwell::core::TrustedProxies;

namespace {

bool trusted(const TrustedProxies& t, const char* address) {
  auto ip = parse_ip(address);
  REQUIRE(ip);
  return t.contains(*ip);
}

}  // namespace

TEST_CASE("addresses parse in their usual spellings and print canonically") {
  CHECK(format_ip(*parse_ip("10.0.0.1")) == "10.0.0.1");
  CHECK(format_ip(*parse_ip(" 10.0.0.1:8080 ")) == "10.0.0.1");
  CHECK(format_ip(*parse_ip("2001:DB8:0:0::1")) == "2001:db8::1");
  CHECK(format_ip(*parse_ip("[2001:db8::1]:443")) == "2001:db8::1");
  CHECK(format_ip(*parse_ip("::ffff:192.0.2.7")) == "192.0.2.7");  // one address, one counter
  CHECK_FALSE(parse_ip(""));
  CHECK_FALSE(parse_ip("unknown"));
  CHECK_FALSE(parse_ip("10.0.0.256"));
  CHECK_FALSE(parse_ip("10.0.0.1:99999"));
  CHECK_FALSE(parse_ip("[2001:db8::1"));
  CHECK_FALSE(parse_ip("2001:db8::1:80x"));
}

TEST_CASE("trusted proxies are CIDR blocks of IPv4 and IPv6") {
  TrustedProxies t = TrustedProxies::parse("10.0.0.0/8, 192.168.1.7 2001:db8:aa::/48,::1");
  CHECK(trusted(t, "10.200.3.4"));
  CHECK(trusted(t, "192.168.1.7"));
  CHECK_FALSE(trusted(t, "192.168.1.8"));
  CHECK_FALSE(trusted(t, "11.0.0.1"));
  CHECK(trusted(t, "2001:db8:aa:ffff::1"));
  CHECK_FALSE(trusted(t, "2001:db8:ab::1"));
  CHECK(trusted(t, "::1"));
  CHECK_FALSE(trusted(t, "::2"));
  CHECK(trusted(t, "::ffff:10.1.1.1"));  // the mapped form of a trusted IPv4 address

  TrustedProxies odd = TrustedProxies::parse("172.16.0.0/12");
  CHECK(trusted(odd, "172.31.255.255"));
  CHECK_FALSE(trusted(odd, "172.32.0.0"));
  CHECK(trusted(TrustedProxies::parse("0.0.0.0/0"), "8.8.8.8"));
  CHECK_FALSE(trusted(TrustedProxies::parse("0.0.0.0/0"), "2001:db8::1"));
  CHECK(TrustedProxies::parse("").empty());
  CHECK(TrustedProxies::parse(" , ").empty());
}

TEST_CASE("a malformed trusted block is refused, naming it") {
  for (const char* bad : {"10.0.0.0/33", "2001:db8::/129", "10.0.0.1/8", "10.0.0.0/", "10.0.0.0/x",
                          "example.com", "10.0.0.0/8/8", "[::1]", "10.0.0/24"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(TrustedProxies::parse(bad), std::invalid_argument);
  }
  try {
    TrustedProxies::parse("10.0.0.0/8, 10.0.0.1/8");
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("'10.0.0.1/8'") != std::string::npos);
  }
  std::map<std::string, std::string> env{{"INKWELL_ENV", "test"},
                                         {"INKWELL_TRUSTED_PROXIES", "10.0.0.0/40"}};
  auto lookup = [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  CHECK_THROWS_AS(inkwell::core::load_config(lookup), inkwell::core::ConfigError);
  env["INKWELL_TRUSTED_PROXIES"] = "127.0.0.2/32";
  CHECK_FALSE(inkwell::core::load_config(lookup).trusted_proxies.empty());
}

TEST_CASE("X-Forwarded-For is believed from trusted proxies only, right-most untrusted first") {
  TrustedProxies t = TrustedProxies::parse("127.0.0.2/32 10.0.0.0/8");
  // No trusted proxies configured: the peer, whatever the header says.
  CHECK(client_address(TrustedProxies(), "127.0.0.2", "203.0.113.9") == "127.0.0.2");
  // An untrusted peer's header is ignored.
  CHECK(client_address(t, "198.51.100.1", "203.0.113.9") == "198.51.100.1");
  // A trusted peer: the address it saw.
  CHECK(client_address(t, "127.0.0.2", "203.0.113.9") == "203.0.113.9");
  // A client that forges the header only adds entries to the left.
  CHECK(client_address(t, "127.0.0.2", "1.1.1.1, 203.0.113.9") == "203.0.113.9");
  // Several proxies in a row: skip every trusted hop.
  CHECK(client_address(t, "127.0.0.2", "1.1.1.1, 203.0.113.9, 10.1.2.3,10.4.5.6") == "203.0.113.9");
  // Only proxies: the left-most one.
  CHECK(client_address(t, "127.0.0.2", "10.9.9.9, 10.1.1.1") == "10.9.9.9");
  // No header from a trusted peer: the peer.
  CHECK(client_address(t, "127.0.0.2", "") == "127.0.0.2");
  // Garbage where an address should be: the last trusted hop.
  CHECK(client_address(t, "127.0.0.2", "203.0.113.9, unknown") == "127.0.0.2");
  CHECK(client_address(t, "127.0.0.2", "203.0.113.9, bogus, 10.1.1.1") == "10.1.1.1");
  // Canonical form, ports and brackets dropped: one address, one throttle counter.
  CHECK(client_address(t, "127.0.0.2", "[2001:DB8::5]:1234") == "2001:db8::5");
  CHECK(client_address(t, "127.0.0.2", "203.0.113.9:5555") == "203.0.113.9");
  // Empty entries are skipped.
  CHECK(client_address(t, "127.0.0.2", "203.0.113.9, ,") == "203.0.113.9");
}
