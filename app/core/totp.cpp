#include "core/totp.hpp"

#include <cryptopp/basecode.h>
#include <cryptopp/filters.h>
#include <cryptopp/hmac.h>
#include <cryptopp/sha.h>

#include <array>

#include "core/http.hpp"
#include "core/security.hpp"

namespace inkwell::totp {
namespace {

// Crypto++'s Base32Encoder uses another alphabet (DUDE's); otpauth secrets
// use RFC 4648's, so its generic base-2^n coder is given that one.
constexpr CryptoPP::byte kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

}  // namespace

std::string base32_encode(std::string_view raw) {
  std::string out;
  CryptoPP::BaseN_Encoder encoder(kAlphabet, 5, new CryptoPP::StringSink(out));
  encoder.Put(reinterpret_cast<const CryptoPP::byte*>(raw.data()), raw.size());
  encoder.MessageEnd();
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (c == ' ' || c == '=') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) return std::nullopt;
    clean += c;
  }
  // Canonical lengths only: a base32 group of 8 characters is 5 bytes.
  switch (clean.size() % 8) {
    case 1:
    case 3:
    case 6:
      return std::nullopt;
    default:
      break;
  }
  static const auto lookup = [] {
    std::array<int, 256> table{};
    CryptoPP::BaseN_Decoder::InitializeDecodingLookupArray(table.data(), kAlphabet, 32, false);
    return table;
  }();
  std::string out;
  CryptoPP::BaseN_Decoder decoder(lookup.data(), 5, new CryptoPP::StringSink(out));
  decoder.Put(reinterpret_cast<const CryptoPP::byte*>(clean.data()), clean.size());
  decoder.MessageEnd();
  return out;
}

std::int64_t step_of(std::int64_t unix_seconds) {
  return unix_seconds / kStepSeconds;
}

std::string code_at(std::string_view secret, std::int64_t step, int digits) {
  std::array<CryptoPP::byte, 8> counter{};
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<CryptoPP::byte>(step & 0xff);
    step >>= 8;
  }
  CryptoPP::HMAC<CryptoPP::SHA1> mac(reinterpret_cast<const CryptoPP::byte*>(secret.data()),
                                     secret.size());
  std::array<CryptoPP::byte, CryptoPP::SHA1::DIGESTSIZE> digest{};
  mac.CalculateDigest(digest.data(), counter.data(), counter.size());
  // Dynamic truncation (RFC 4226 §5.3).
  unsigned offset = digest[19] & 0x0f;
  std::uint32_t binary = (static_cast<std::uint32_t>(digest[offset] & 0x7f) << 24) |
                         (static_cast<std::uint32_t>(digest[offset + 1]) << 16) |
                         (static_cast<std::uint32_t>(digest[offset + 2]) << 8) |
                         static_cast<std::uint32_t>(digest[offset + 3]);
  std::uint32_t modulo = 1;
  for (int i = 0; i < digits; ++i) modulo *= 10;
  std::string code = std::to_string(binary % modulo);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::optional<std::int64_t> matching_step(std::string_view secret, std::string_view code,
                                          std::int64_t now_step, std::int64_t last_used_step) {
  std::optional<std::int64_t> found;
  for (std::int64_t step = now_step - 1; step <= now_step + 1; ++step) {
    // Every step is computed and compared, matched or not (no timing hint).
    bool same = security::constant_time_equals(code_at(secret, step), code);
    if (same && step > last_used_step && !found) found = step;
  }
  return found;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret) {
  std::string label = http::url_encode(issuer) + ":" + http::url_encode(account);
  return "otpauth://totp/" + label + "?secret=" + base32_encode(secret) +
         "&issuer=" + http::url_encode(issuer);
}

}  // namespace inkwell::totp
