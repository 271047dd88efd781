// The client's address behind trusted reverse proxies. A request that comes
// from a trusted proxy (INKWELL_TRUSTED_PROXIES: CIDR blocks, IPv4 and IPv6)
// is from the right-most X-Forwarded-For address that is not itself a
// trusted proxy; any other request is from its peer (REMOTE_ADDR), whatever
// it claims in X-Forwarded-For. Throttling, session binding and the logs all
// use this one address.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace inkwell::core {

// An IPv4 or IPv6 address as 16 bytes (IPv4 as the IPv4-mapped IPv6 address,
// so ::ffff:10.0.0.1 and 10.0.0.1 are one address).
using IpAddress = std::array<std::uint8_t, 16>;

// Parses "10.0.0.1", "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:443" or
// "10.0.0.1:443" (a port is dropped). nullopt for anything else.
std::optional<IpAddress> parse_ip(std::string_view text);
// The canonical text of an address: dotted quad for IPv4, RFC 5952 for IPv6.
std::string format_ip(const IpAddress& ip);

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // "10.0.0.0/8, 2001:db8::/32 127.0.0.2" (commas or spaces; an address
  // without a prefix length is one host). Throws std::invalid_argument naming
  // the entry that is not a valid block (a bad address, a prefix too long, or
  // host bits set: "10.0.0.1/8" is a typo more often than not).
  static TrustedProxies parse(std::string_view list);

  bool empty() const { return blocks_.empty(); }
  bool contains(const IpAddress& ip) const;

 private:
  struct Block {
    IpAddress network;
    int prefix;  // in bits of the 16-byte form
  };
  std::vector<Block> blocks_;
};

// The client's address: remote_addr itself unless it is a trusted proxy; then
// the X-Forwarded-For list is walked from the right, skipping trusted proxies,
// and the first other address is the client. A list made only of trusted
// proxies gives its left-most one. An entry that is not an address stops the
// walk (whoever wrote it is not to be believed): the last trusted hop is the
// client then. The result is in canonical form when it is an address.
std::string client_address(const TrustedProxies& trusted, std::string_view remote_addr,
                           std::string_view x_forwarded_for);

}  // namespace inkwell::core
