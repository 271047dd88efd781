#include "core/security.hpp"

#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include <cryptopp/base64.h>
#include <cryptopp/filters.h>
#include <cryptopp/hmac.h>
#include <cryptopp/md5.h>
#include <cryptopp/misc.h>
#include <cryptopp/osrng.h>
#include <cryptopp/pwdbased.h>
#include <cryptopp/scrypt.h>
#include <cryptopp/sha.h>
#include <openssl/evp.h>

#include <charconv>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace inkwell::security {

namespace {

constexpr std::string_view kSaltChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
// A hash string can come from outside (an imported Flasky database), and a
// login derives a key with whatever parameters it names: each bound keeps one
// verification within about four times the cost of Werkzeug's own defaults
// (scrypt:32768:8:1, pbkdf2:sha256:1000000), instead of the tens of seconds
// and the gigabyte that pbkdf2:sha512:10000000 or scrypt:1048576:8:1 take.
constexpr std::uint64_t kMaxPbkdf2Iterations = 1'000'000;
constexpr std::uint64_t kMaxScryptMemory = std::uint64_t{128} << 20;  // 128*N*r*p bytes
// Crypto++ runs PBKDF2 over a 128*r*p-byte buffer, so r and p cost CPU and
// memory even when N is small; Werkzeug always uses r = 8, p = 1.
constexpr std::uint64_t kMaxScryptR = 32;
constexpr std::uint64_t kMaxScryptP = 16;
constexpr std::size_t kScryptKeyLength = 64;  // hashlib.scrypt's dklen

// Crypto++ takes byte pointers; an empty view may have a null data().
const CryptoPP::byte* bytes_of(std::string_view s) {
  static const CryptoPP::byte empty = 0;
  return s.empty() ? &empty : reinterpret_cast<const CryptoPP::byte*>(s.data());
}

// A loop, not Crypto++'s HexEncoder: its filter chain (StringSource,
// HexEncoder, StringSink, each allocated per call) made up 4% of a worker's
// CPU on a logged-in page, for the two or three digests a request takes.
std::string hex_lower(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(raw.size() * 2, '\0');
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto byte = static_cast<unsigned char>(raw[i]);
    out[2 * i] = kDigits[byte >> 4];
    out[2 * i + 1] = kDigits[byte & 0x0f];
  }
  return out;
}

template <class Hash>
std::string digest_hex(std::string_view data) {
  Hash hash;
  std::string raw(Hash::DIGESTSIZE, '\0');
  hash.CalculateDigest(reinterpret_cast<CryptoPP::byte*>(raw.data()), bytes_of(data), data.size());
  return hex_lower(raw);
}

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A plain unsigned decimal: digits only, no sign, no spaces, no overflow.
std::optional<std::uint64_t> parse_unsigned(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_signed(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// ---- password methods ----

enum class Kdf { pbkdf2_sha1, pbkdf2_sha256, pbkdf2_sha512, scrypt };

struct Method {
  Kdf kdf = Kdf::scrypt;
  std::uint64_t iterations = 0;       // pbkdf2
  std::uint64_t n = 0, r = 0, p = 0;  // scrypt

  std::size_t key_length() const {
    switch (kdf) {
      case Kdf::pbkdf2_sha1:
        return CryptoPP::SHA1::DIGESTSIZE;
      case Kdf::pbkdf2_sha256:
        return CryptoPP::SHA256::DIGESTSIZE;
      case Kdf::pbkdf2_sha512:
        return CryptoPP::SHA512::DIGESTSIZE;
      case Kdf::scrypt:
        break;
    }
    return kScryptKeyLength;
  }

  // Werkzeug's spelling of the method with every parameter, as stored.
  std::string canonical() const {
    switch (kdf) {
      case Kdf::pbkdf2_sha1:
        return "pbkdf2:sha1:" + std::to_string(iterations);
      case Kdf::pbkdf2_sha256:
        return "pbkdf2:sha256:" + std::to_string(iterations);
      case Kdf::pbkdf2_sha512:
        return "pbkdf2:sha512:" + std::to_string(iterations);
      case Kdf::scrypt:
        break;
    }
    return "scrypt:" + std::to_string(n) + ":" + std::to_string(r) + ":" + std::to_string(p);
  }
};

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    auto pos = s.find(sep);
    parts.push_back(s.substr(0, pos));
    if (pos == std::string_view::npos) return parts;
    s.remove_prefix(pos + 1);
  }
}

bool sane_scrypt(std::uint64_t n, std::uint64_t r, std::uint64_t p) {
  if (n < 2 || (n & (n - 1)) != 0 || r < 1 || p < 1) return false;
  // 128*N*r*p <= 128 MiB; each factor is bounded first so no product overflows.
  if (n > kMaxScryptMemory / 128 || r > kMaxScryptR || p > kMaxScryptP) return false;
  std::uint64_t memory = 128 * n;
  if ((memory *= r) > kMaxScryptMemory) return false;
  if ((memory *= p) > kMaxScryptMemory) return false;
  // RFC 7914: N < 2^(128 * r / 8).
  if (r < 4 && n >= (std::uint64_t{1} << (16 * r))) return false;
  return true;
}

// Parses a method. With abbreviations (configured methods) "pbkdf2",
// "pbkdf2:HASH" and "scrypt" get Werkzeug's defaults; stored hashes always
// carry every parameter.
std::optional<Method> parse_method(std::string_view text, bool allow_abbreviations) {
  auto parts = split(text, ':');
  Method m;
  if (parts[0] == "pbkdf2") {
    if (parts.size() > 3 || (!allow_abbreviations && parts.size() != 3)) return std::nullopt;
    std::string_view hash = parts.size() >= 2 ? parts[1] : "sha256";
    if (hash == "sha256") {
      m.kdf = Kdf::pbkdf2_sha256;
    } else if (hash == "sha1") {
      m.kdf = Kdf::pbkdf2_sha1;
    } else if (hash == "sha512") {
      m.kdf = Kdf::pbkdf2_sha512;
    } else {
      return std::nullopt;
    }
    m.iterations = kDefaultPbkdf2Iterations;
    if (parts.size() == 3) {
      auto iterations = parse_unsigned(parts[2]);
      if (!iterations) return std::nullopt;
      m.iterations = *iterations;
    }
    if (m.iterations < 1 || m.iterations > kMaxPbkdf2Iterations) return std::nullopt;
    return m;
  }
  if (parts[0] == "scrypt") {
    m.kdf = Kdf::scrypt;
    if (parts.size() == 1 && allow_abbreviations) {
      m.n = 32768;
      m.r = 8;
      m.p = 1;
    } else if (parts.size() == 4) {
      auto n = parse_unsigned(parts[1]);
      auto r = parse_unsigned(parts[2]);
      auto p = parse_unsigned(parts[3]);
      if (!n || !r || !p) return std::nullopt;
      m.n = *n;
      m.r = *r;
      m.p = *p;
    } else {
      return std::nullopt;
    }
    if (!sane_scrypt(m.n, m.r, m.p)) return std::nullopt;
    return m;
  }
  return std::nullopt;
}

// The derived key as lower-case hex, Werkzeug-style.
std::string derive_hex(const Method& m, std::string_view password, std::string_view salt) {
  std::string key(m.key_length(), '\0');
  auto* out = reinterpret_cast<CryptoPP::byte*>(key.data());
  const auto iterations = static_cast<unsigned int>(m.iterations);
  switch (m.kdf) {
    case Kdf::pbkdf2_sha1:
      CryptoPP::PKCS5_PBKDF2_HMAC<CryptoPP::SHA1>().DeriveKey(
          out, key.size(), 0, bytes_of(password), password.size(), bytes_of(salt), salt.size(),
          iterations);
      break;
    case Kdf::pbkdf2_sha256:
      CryptoPP::PKCS5_PBKDF2_HMAC<CryptoPP::SHA256>().DeriveKey(
          out, key.size(), 0, bytes_of(password), password.size(), bytes_of(salt), salt.size(),
          iterations);
      break;
    case Kdf::pbkdf2_sha512:
      CryptoPP::PKCS5_PBKDF2_HMAC<CryptoPP::SHA512>().DeriveKey(
          out, key.size(), 0, bytes_of(password), password.size(), bytes_of(salt), salt.size(),
          iterations);
      break;
    case Kdf::scrypt:
      CryptoPP::Scrypt().DeriveKey(out, key.size(), bytes_of(password), password.size(),
                                   bytes_of(salt), salt.size(), m.n, m.r, m.p);
      break;
  }
  return hex_lower(key);
}

struct StoredHash {
  Method method;
  std::string_view salt;
  std::string_view hex;
};

// METHOD$SALT$HEX with a full method, a non-empty salt and lower-case hex of
// the method's key length.
std::optional<StoredHash> parse_stored(std::string_view stored) {
  auto first = stored.find('$');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = stored.find('$', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto method = parse_method(stored.substr(0, first), false);
  if (!method) return std::nullopt;
  StoredHash h{*method, stored.substr(first + 1, second - first - 1), stored.substr(second + 1)};
  if (h.salt.empty() || h.hex.size() != 2 * method->key_length() || !is_lower_hex(h.hex)) {
    return std::nullopt;
  }
  return h;
}

std::string signing_input(std::string_view purpose, std::string_view payload) {
  std::string s;
  s.reserve(purpose.size() + 1 + payload.size());
  s.append(purpose).append(1, '\n').append(payload);
  return s;
}

}  // namespace

// ---- randomness ----

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0) {
    CryptoPP::OS_GenerateRandomBlock(false, reinterpret_cast<CryptoPP::byte*>(out.data()), n);
  }
  return out;
}

std::string random_token(std::size_t bytes) {
  return base64url_encode(random_bytes(bytes));
}

std::string random_salt(std::size_t chars) {
  // Rejection sampling keeps the 62 characters uniform: 248 = 4 * 62.
  constexpr unsigned kLimit = 4 * kSaltChars.size();
  std::string out;
  out.reserve(chars);
  while (out.size() < chars) {
    for (unsigned char b : random_bytes(chars - out.size() + 8)) {
      if (b >= kLimit) continue;
      out.push_back(kSaltChars[b % kSaltChars.size()]);
      if (out.size() == chars) break;
    }
  }
  return out;
}

// ---- comparison and digests ----

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CryptoPP::VerifyBufsEqual(bytes_of(a), bytes_of(b), a.size());
}

std::string sha256_hex(std::string_view data) {
  return digest_hex<CryptoPP::SHA256>(data);
}

std::string md5_hex(std::string_view data) {
  return digest_hex<CryptoPP::Weak::MD5>(data);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  CryptoPP::HMAC<CryptoPP::SHA256> mac(bytes_of(key), key.size());
  std::string out(CryptoPP::HMAC<CryptoPP::SHA256>::DIGESTSIZE, '\0');
  mac.CalculateDigest(reinterpret_cast<CryptoPP::byte*>(out.data()), bytes_of(data), data.size());
  return out;
}

// OpenSSL's one-call encoder rather than a Crypto++ filter chain (see
// hex_lower): every page with a form signs a CSRF token. Base64 with '=',
// made URL-safe and unpadded (RFC 4648 §5), as Crypto++'s Base64URLEncoder
// wrote it.
std::string base64url_encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(data),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  // Crypto++'s decoder skips characters outside the alphabet; refuse them
  // here, and refuse non-canonical spellings by re-encoding below.
  if (text.size() % 4 == 1) return std::nullopt;
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  std::string out;
  CryptoPP::StringSource source(bytes_of(text), text.size(), true,
                                new CryptoPP::Base64URLDecoder(new CryptoPP::StringSink(out)));
  if (base64url_encode(out) != text) return std::nullopt;
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // Standard alphabet with '=' padding (HTTP Basic credentials).
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/';
    if (c == '=' && i + 2 >= text.size()) {
      ++pad;
      continue;
    }
    if (!ok || pad) return std::nullopt;
  }
  std::string out;
  CryptoPP::StringSource source(bytes_of(text), text.size(), true,
                                new CryptoPP::Base64Decoder(new CryptoPP::StringSink(out)));
  return out;
}

// ---- passwords ----

bool valid_password_method(std::string_view method) {
  return parse_method(method, true).has_value();
}

std::string hash_password(std::string_view password, std::string_view method) {
  auto m = parse_method(method, true);
  if (!m) throw std::invalid_argument("unsupported password method: " + std::string(method));
  std::string salt = random_salt(16);
  std::string hex = derive_hex(*m, password, salt);
  return m->canonical() + "$" + salt + "$" + hex;
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  try {
    auto stored = parse_stored(stored_hash);
    if (!stored) return false;
    return constant_time_equals(derive_hex(stored->method, password, stored->salt), stored->hex);
  } catch (...) {
    return false;
  }
}

bool needs_rehash(std::string_view stored_hash, std::string_view method) {
  auto wanted = parse_method(method, true);
  if (!wanted) throw std::invalid_argument("unsupported password method: " + std::string(method));
  auto stored = parse_stored(stored_hash);
  if (!stored) return true;
  return stored->method.canonical() != wanted->canonical();
}

// ---- tokens ----

std::string make_token(std::string_view secret, std::string_view purpose, std::int64_t user_id,
                       std::int64_t expires_at_unix, std::string_view extra) {
  if (secret.empty()) throw std::invalid_argument("make_token: empty secret");
  std::string payload = std::to_string(user_id) + "|" + std::to_string(expires_at_unix) + "|" +
                        base64url_encode(extra);
  std::string signature = hmac_sha256(secret, signing_input(purpose, payload));
  return base64url_encode(payload) + "." + base64url_encode(signature);
}

std::optional<TokenData> verify_token(std::string_view secret, std::string_view purpose,
                                      std::string_view token, std::int64_t now_unix) {
  try {
    if (secret.empty()) return std::nullopt;
    auto dot = token.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    auto payload = base64url_decode(token.substr(0, dot));
    auto signature = base64url_decode(token.substr(dot + 1));
    if (!payload || !signature || payload->empty()) return std::nullopt;

    std::string expected = hmac_sha256(secret, signing_input(purpose, *payload));
    if (!constant_time_equals(expected, *signature)) return std::nullopt;

    auto fields = split(*payload, '|');
    if (fields.size() != 3) return std::nullopt;
    auto user_id = parse_signed(fields[0]);
    auto expires_at = parse_signed(fields[1]);
    auto extra = base64url_decode(fields[2]);
    if (!user_id || !expires_at || !extra) return std::nullopt;
    if (now_unix >= *expires_at) return std::nullopt;
    return TokenData{*user_id, *expires_at, std::move(*extra)};
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace inkwell::security
