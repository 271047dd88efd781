#include "core/client_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace inkwell::core {
namespace {

constexpr IpAddress kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_v4_mapped(const IpAddress& ip) {
  return std::memcmp(ip.data(), kMappedPrefix.data(), 12) == 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<IpAddress> parse_bare(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress ip{};
  if (inet_pton(AF_INET, buf, ip.data() + 12) == 1) {
    std::memcpy(ip.data(), kMappedPrefix.data(), 12);
    return ip;
  }
  if (inet_pton(AF_INET6, buf, ip.data()) == 1) return ip;
  return std::nullopt;
}

bool valid_port(std::string_view s) {
  unsigned port = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size() && port <= 65535;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '[') {  // [v6] or [v6]:port
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !valid_port(rest.substr(1)))) return std::nullopt;
    return parse_bare(text.substr(1, close - 1));
  }
  // v4:port (one colon; an IPv6 address has at least two)
  std::size_t colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    if (!valid_port(text.substr(colon + 1))) return std::nullopt;
    auto ip = parse_bare(text.substr(0, colon));
    if (!ip || !is_v4_mapped(*ip)) return std::nullopt;
    return ip;
  }
  return parse_bare(text);
}

std::string format_ip(const IpAddress& ip) {
  char buf[INET6_ADDRSTRLEN];
  if (is_v4_mapped(ip)) {
    inet_ntop(AF_INET, ip.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, ip.data(), buf, sizeof buf);
  }
  return buf;
}

TrustedProxies TrustedProxies::parse(std::string_view list) {
  TrustedProxies out;
  std::size_t i = 0;
  while (i < list.size()) {
    std::size_t end = list.find_first_of(", \t", i);
    if (end == std::string_view::npos) end = list.size();
    std::string_view entry = list.substr(i, end - i);
    i = end + 1;
    if (entry.empty()) continue;
    auto bad = [&entry](const char* why) {
      return std::invalid_argument("'" + std::string(entry) + "': " + why);
    };
    std::size_t slash = entry.find('/');
    std::string_view address = entry.substr(0, slash);
    if (address.find('[') != std::string_view::npos) throw bad("not an address");
    auto ip = parse_bare(address);
    if (!ip) throw bad("not an IPv4 or IPv6 address");
    const bool v4 = is_v4_mapped(*ip) && address.find(':') == std::string_view::npos;
    const int max_bits = v4 ? 32 : 128;
    int bits = max_bits;
    if (slash != std::string_view::npos) {
      std::string_view len = entry.substr(slash + 1);
      auto [p, ec] = std::from_chars(len.data(), len.data() + len.size(), bits);
      if (len.empty() || ec != std::errc() || p != len.data() + len.size() || bits < 0 ||
          bits > max_bits) {
        throw bad(v4 ? "prefix length must be 0 to 32" : "prefix length must be 0 to 128");
      }
    }
    Block b{*ip, v4 ? bits + 96 : bits};
    for (int bit = b.prefix; bit < 128; ++bit) {
      if (b.network[bit / 8] & (0x80 >> (bit % 8))) throw bad("host bits set after the prefix");
    }
    out.blocks_.push_back(b);
  }
  return out;
}

bool TrustedProxies::contains(const IpAddress& ip) const {
  for (const Block& b : blocks_) {
    const int whole = b.prefix / 8;
    if (std::memcmp(ip.data(), b.network.data(), static_cast<std::size_t>(whole)) != 0) continue;
    const int rest = b.prefix % 8;
    if (rest != 0) {
      const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
      if ((ip[static_cast<std::size_t>(whole)] & mask) !=
          b.network[static_cast<std::size_t>(whole)])
        continue;
    }
    return true;
  }
  return false;
}

std::string client_address(const TrustedProxies& trusted, std::string_view remote_addr,
                           std::string_view x_forwarded_for) {
  if (trusted.empty()) return std::string(remote_addr);
  auto peer = parse_ip(remote_addr);
  if (!peer || !trusted.contains(*peer)) return std::string(remote_addr);
  IpAddress client = *peer;
  std::string_view list = x_forwarded_for;
  while (!list.empty()) {
    std::size_t comma = list.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? list : list.substr(comma + 1);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
    if (trim(entry).empty()) continue;
    auto hop = parse_ip(entry);
    if (!hop) break;
    client = *hop;
    if (!trusted.contains(*hop)) break;
  }
  return format_ip(client);
}

}  // namespace inkwell::core
