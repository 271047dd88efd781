// Unit tests for core/security: randomness, digests, Werkzeug password
// hashes (against literal vectors) and signed tokens.
//
// Provenance of the literal vectors below: computed with Debian 12's
// /usr/bin/python3 (3.11.2). The pbkdf2 hashes were made by Debian's
// python3-werkzeug 2.2.2 generate_password_hash and checked with its
// check_password_hash (the pbkdf2 format is unchanged in Werkzeug 3). The
// scrypt hashes were made exactly as Werkzeug 3's _hash_internal does:
//   hashlib.scrypt(pw.encode(), salt=salt.encode(), n=N, r=R, p=P,
//                  maxmem=132*N*R*P).hex()   (dklen 64)
// Digests come from hashlib / hmac.

#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/security.hpp"

namespace sec = inkwell::security;

namespace {

constexpr std::string_view kPassword = "correct horse battery staple";
constexpr std::string_view kUnicodePassword = "p\xc3\xa4ssw\xc3\xb6rd\xe2\x9c\x93";  // pässwörd✓

std::string to_hex(std::string_view raw) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

bool all_of_alphabet(std::string_view s, std::string_view alphabet) {
  return s.find_first_not_of(alphabet) == std::string_view::npos;
}

constexpr std::string_view kAlnum =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kBase64Url =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

// Replaces the character at i with a different one of the base64url alphabet.
std::string flip(std::string s, std::size_t i) {
  s[i] = s[i] == 'A' ? 'B' : 'A';
  return s;
}

}  // namespace

TEST_SUITE("security") {
  TEST_CASE("digests match hashlib") {
    CHECK(sec::sha256_hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sec::sha256_hex("") ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sec::md5_hex("john@example.com") == "d4c74594d841139328695756648b6bd6");
    std::string mac = sec::hmac_sha256("key", "The quick brown fox jumps over the lazy dog");
    CHECK(mac.size() == 32);
    CHECK(to_hex(mac) == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    CHECK(sec::hmac_sha256("", "").size() == 32);
  }

  TEST_CASE("random bytes, tokens and salts") {
    CHECK(sec::random_bytes(0).empty());
    CHECK(sec::random_bytes(32).size() == 32);
    CHECK(sec::random_bytes(32) != sec::random_bytes(32));

    std::string token = sec::random_token();
    CHECK(token.size() == 43);  // 32 bytes, unpadded
    CHECK(all_of_alphabet(token, kBase64Url));
    CHECK(sec::random_token() != token);
    CHECK(sec::random_token(0).empty());
    CHECK(sec::random_token(1).size() == 2);

    std::string salt = sec::random_salt();
    CHECK(salt.size() == 16);
    CHECK(all_of_alphabet(salt, kAlnum));
    CHECK(sec::random_salt() != salt);
    CHECK(sec::random_salt(0).empty());
    std::string many = sec::random_salt(20000);
    CHECK(many.size() == 20000);
    CHECK(all_of_alphabet(many, kAlnum));
    CHECK(std::set<char>(many.begin(), many.end()).size() == 62);
  }

  TEST_CASE("constant_time_equals") {
    CHECK(sec::constant_time_equals("", ""));
    CHECK(sec::constant_time_equals("abc", "abc"));
    CHECK_FALSE(sec::constant_time_equals("abc", "abd"));
    CHECK_FALSE(sec::constant_time_equals("abc", "ab"));
    CHECK_FALSE(sec::constant_time_equals("", "a"));
    CHECK(sec::constant_time_equals(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
    CHECK_FALSE(
        sec::constant_time_equals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
  }

  TEST_CASE("base64url is unpadded and strict") {
    CHECK(sec::base64url_encode("") == "");
    CHECK(sec::base64url_encode("f") == "Zg");
    CHECK(sec::base64url_encode("fo") == "Zm8");
    CHECK(sec::base64url_encode("foo") == "Zm9v");
    CHECK(sec::base64url_encode("\xfb\xff") == "-_8");
    // Long input: one line, no breaks, and it decodes back.
    std::string bytes;
    for (int i = 0; i < 1000; ++i) bytes += static_cast<char>(i * 7);
    const std::string long_text = sec::base64url_encode(bytes);
    CHECK(long_text.size() == 1334);
    CHECK(long_text.find_first_not_of(
              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    CHECK(sec::base64url_decode(long_text) == std::optional<std::string>(bytes));
    CHECK(sec::base64url_decode("Zm8") == std::optional<std::string>("fo"));
    CHECK(sec::base64url_decode("-_8") == std::optional<std::string>("\xfb\xff"));
    CHECK(sec::base64url_decode("") == std::optional<std::string>(""));
    CHECK_FALSE(sec::base64url_decode("Zg==").has_value());  // padding
    CHECK_FALSE(sec::base64url_decode("Zh").has_value());    // non-canonical trailing bits
    CHECK_FALSE(sec::base64url_decode("Z").has_value());     // impossible length
    CHECK_FALSE(sec::base64url_decode("+/8").has_value());   // standard alphabet
    CHECK_FALSE(sec::base64url_decode("Zm 9v").has_value());
    CHECK_FALSE(sec::base64url_decode("Zm9v.").has_value());
  }

  TEST_CASE("a password hash verifies, a wrong password does not, salts are random") {
    for (std::string_view method : {"pbkdf2:sha256:1000", "scrypt:1024:8:1"}) {
      CAPTURE(method);
      std::string h = sec::hash_password("cat", method);
      CHECK(h.rfind(std::string(method) + "$", 0) == 0);
      CHECK(sec::verify_password(h, "cat"));
      CHECK_FALSE(sec::verify_password(h, "dog"));
      CHECK_FALSE(sec::verify_password(h, ""));
      std::string h2 = sec::hash_password("cat", method);
      CHECK(h2 != h);  // random salt
      CHECK(sec::verify_password(h2, "cat"));
    }
    std::string h = sec::hash_password("", "pbkdf2:sha1:10");
    CHECK(sec::verify_password(h, ""));
    CHECK_FALSE(sec::verify_password(h, " "));
  }

  TEST_CASE("hash format: method, 16-char alphanumeric salt, lower-case hex") {
    std::string h = sec::hash_password(kPassword, "pbkdf2:sha1:1000");
    auto first = h.find('$');
    auto second = h.find('$', first + 1);
    REQUIRE(second != std::string::npos);
    CHECK(h.substr(0, first) == "pbkdf2:sha1:1000");
    std::string salt = h.substr(first + 1, second - first - 1);
    CHECK(salt.size() == 16);
    CHECK(all_of_alphabet(salt, kAlnum));
    std::string hex = h.substr(second + 1);
    CHECK(hex.size() == 40);
    CHECK(all_of_alphabet(hex, "0123456789abcdef"));
    CHECK(sec::hash_password(kPassword, "pbkdf2:sha256:1").size() ==
          std::string("pbkdf2:sha256:1$").size() + 16 + 1 + 64);
    CHECK(sec::hash_password(kPassword, "scrypt:16:8:1").size() ==
          std::string("scrypt:16:8:1$").size() + 16 + 1 + 128);
  }

  TEST_CASE("the default method scrypt:32768:8:1 round-trips") {
    std::string h = sec::hash_password(kPassword, "scrypt:32768:8:1");
    CHECK(h.rfind("scrypt:32768:8:1$", 0) == 0);
    CHECK(sec::verify_password(h, kPassword));
    CHECK_FALSE(sec::verify_password(h, "Correct horse battery staple"));
  }

  TEST_CASE("Werkzeug pbkdf2 vectors") {
    const char* sha256 =
        "pbkdf2:sha256:1000$puhu6D9wIoJ71SNY$"
        "06f49b97f0a4f3638f48d34e6709051091c31a8e5246ffb3fcf4e9aa0b562656";
    const char* sha256_fixed =
        "pbkdf2:sha256:2000$Xy7Qp2LmN9aB4cDe$"
        "ab83a6085160075b91fa89484797833e86cdf68e0723c66985f62cef147c1526";
    const char* sha1 = "pbkdf2:sha1:1000$lWrLCBoiERd2SsOg$94ab3f1ceb76f562bcb34a5a4d1a6e1f2d473c14";
    const char* sha512 =
        "pbkdf2:sha512:1000$RMBvSYHodCCYkf6Z$"
        "3e671972f7e0424ca978e7ad0d550e8a19c64dd9cb17beb2cafeb8449fe7de69"
        "908e0f122806e2aa814405d5311d1879192e9c73b2934658d8f3a4c47c4c7652";
    for (const char* h : {sha256, sha256_fixed, sha1, sha512}) {
      CAPTURE(h);
      CHECK(sec::verify_password(h, kPassword));
      CHECK_FALSE(sec::verify_password(h, "correct horse battery stapl"));
      CHECK_FALSE(sec::verify_password(h, "correct horse battery staple "));
    }
    const char* unicode =
        "pbkdf2:sha256:1000$CgVdzZLgl08bX2Q8$"
        "c9a3ace72ad2483458124a97aec7df88d0d2cfdadeece37bf28d3ac936714807";
    CHECK(sec::verify_password(unicode, kUnicodePassword));
    CHECK_FALSE(sec::verify_password(unicode, "passwordx"));
    // Werkzeug 2.2's default (generate_password_hash('cat')), as found in old
    // Flasky databases.
    const char* flasky_default =
        "pbkdf2:sha256:260000$bTehKLztONfYlWIr$"
        "6f9556e0d5ac4bcd66a3d782aca90ceedf8aed146b0c3f9e89285a5293e81407";
    CHECK(sec::verify_password(flasky_default, "cat"));
    CHECK_FALSE(sec::verify_password(flasky_default, "dog"));
  }

  TEST_CASE("Werkzeug scrypt vectors") {
    const char* n1024 =
        "scrypt:1024:8:1$Zq8WcR1tYu5IoP3s$"
        "edf8b700f28af555844724e3acbf54f739d422782ce21f9caeef500ff1454245"
        "57706d55f69277c47a3face9f19684799fdd7be153f9eda036ce7dc424c7c7bf";
    const char* n16384 =
        "scrypt:16384:8:1$hG4kL0vBn7Mx2QwE$"
        "77600e765ee15eadec937768dcf2c3e6f8bab91b2495c3a3103b1259888b1969"
        "c0de918a035a33e1e7e09414117d2789d1c8c09bbccfd8e1a3f1d003ccd31d10";
    const char* r4p2 =
        "scrypt:1024:4:2$aA1bB2cC3dD4eE5f$"
        "e305caea74e04b4e002e276aaaf87949cd40648006ff285305137cffc86401ce"
        "66b5d9061bd58c1d868741263aa1d7e85e3eaad2ebfcfe15682a191c8ddc4064";
    for (const char* h : {n1024, n16384, r4p2}) {
      CAPTURE(h);
      CHECK(sec::verify_password(h, kPassword));
      CHECK_FALSE(sec::verify_password(h, "wrong password"));
    }
    const char* unicode =
        "scrypt:1024:8:1$Zq8WcR1tYu5IoP3s$"
        "f4d5a06edc3aaa7a0f2a23bb8539b96edf685a37f2b2d22dc9c236c02218466f"
        "70172fdfe3b4e0a828f912d529c34ace8219e93f06c19a827c9ed6f8b4cf11fd";
    CHECK(sec::verify_password(unicode, kUnicodePassword));
    CHECK_FALSE(sec::verify_password(unicode, kPassword));

    // The same hash with the salt, a parameter or the digest changed fails.
    std::string good = n1024;
    std::string other_salt = good;
    other_salt.replace(good.find('$') + 1, 1, "z");
    CHECK_FALSE(sec::verify_password(other_salt, kPassword));
    std::string other_r = good;
    other_r.replace(0, 15, "scrypt:1024:4:1");
    CHECK_FALSE(sec::verify_password(other_r, kPassword));
    std::string other_hex = good;
    other_hex.back() = other_hex.back() == '0' ? '1' : '0';
    CHECK_FALSE(sec::verify_password(other_hex, kPassword));
  }

  TEST_CASE("malformed stored hashes are refused, never thrown") {
    const std::string hex64(64, 'a');
    const std::string hex128(128, 'a');
    const std::string bad[] = {
        "",
        "pbkdf2",
        "scrypt",
        "$",
        "$$",
        "plain$$cat",
        "sha256$salt$abc",
        "scrypt:x:8:1$a$b",
        "pbkdf2:md5:1$a$b",
        "pbkdf2:sha256:1000",                      // no '$' at all
        "pbkdf2:sha256:1000$abc",                  // one '$'
        "pbkdf2:sha256:1000$abc" + hex64,          // hash glued to the salt
        "pbkdf2:sha256:1000$$" + hex64,            // empty salt
        "pbkdf2:sha256$abc$" + hex64,              // iterations omitted in a stored hash
        "pbkdf2$abc$" + hex64,                     // method omitted in a stored hash
        "pbkdf2:sha256:0$abc$" + hex64,            // zero iterations
        "pbkdf2:sha256:-1$abc$" + hex64,           // negative
        "pbkdf2:sha256:+5$abc$" + hex64,           // sign
        "pbkdf2:sha256: 5$abc$" + hex64,           // space
        "pbkdf2:sha256:99999999999$abc$" + hex64,  // absurd iterations
        "pbkdf2:sha256:99999999999999999999999$abc$" + hex64,
        "pbkdf2:sha256:1:2$abc$" + hex64,  // extra argument
        "PBKDF2:sha256:1$abc$" + hex64,
        "pbkdf2:sha256:1$abc$" + std::string(64, 'g'),  // non-hex
        "pbkdf2:sha256:1$abc$" + std::string(64, 'A'),  // upper case (Werkzeug fails it too)
        "pbkdf2:sha256:1$abc$" + std::string(63, 'a'),  // wrong length
        "pbkdf2:sha256:1$abc$" + hex128,                // sha512 length for sha256
        "pbkdf2:sha1:1$abc$" + hex64,                   // sha256 length for sha1
        "pbkdf2:sha256:1$abc$" + hex64 + "$",
        "scrypt:1024:8$abc$" + hex128,      // missing p
        "scrypt:1024:8:1:1$abc$" + hex128,  // extra
        "scrypt:1000:8:1$abc$" + hex128,    // N not a power of two
        "scrypt:1:8:1$abc$" + hex128,       // N < 2
        "scrypt:0:8:1$abc$" + hex128,
        "scrypt:1024:0:1$abc$" + hex128,                 // r = 0
        "scrypt:1024:8:0$abc$" + hex128,                 // p = 0
        "scrypt:1048576:16:1$abc$" + hex128,             // 2 GiB
        "scrypt:9223372036854775808:8:1$abc$" + hex128,  // 2^63
        "scrypt:65536:1:1$abc$" + hex128,                // N >= 2^(16r)
        "scrypt:1024:8:1$abc$" + hex64,                  // 32-byte key for scrypt
        "scrypt$abc$" + hex128,                          // parameters omitted in a stored hash
    };
    for (const std::string& h : bad) {
      CAPTURE(h);
      bool ok = true;
      CHECK_NOTHROW(ok = sec::verify_password(h, "a"));
      CHECK_FALSE(ok);
    }
    CHECK_FALSE(sec::verify_password(std::string_view("pbkdf2:sha256:1\0$a$b", 20), "a"));
  }

  TEST_CASE("a stored hash naming costly parameters is refused without deriving a key") {
    // Each of these once made verify_password derive a key for 1 to 26 s
    // (scrypt:1048576:8:1 with 1 GiB of memory) before answering false: a
    // hash string in an imported database could stall every login attempt.
    const std::string hex128(128, 'a');
    const std::string costly[] = {
        "pbkdf2:sha512:10000000$salt$" + hex128,
        "pbkdf2:sha1:10000000$salt$" + std::string(40, 'a'),
        "pbkdf2:sha256:2000000$salt$" + std::string(64, 'a'),
        "scrypt:1048576:8:1$salt$" + hex128,
        "scrypt:2:1:4194304$salt$" + hex128,
        "scrypt:2:524288:1$salt$" + hex128,
    };
    for (const std::string& h : costly) {
      CAPTURE(h);
      const auto start = std::chrono::steady_clock::now();
      CHECK_FALSE(sec::verify_password(h, "password"));
      // Refusing is a parse: microseconds. The bound is loose for busy CI.
      CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(250));
      CHECK(sec::needs_rehash(h, "scrypt"));
    }
  }

  TEST_CASE("valid_password_method") {
    for (std::string_view m :
         {"scrypt:32768:8:1", "scrypt", "scrypt:16384:8:1", "scrypt:2:1:1", "scrypt:1024:4:2",
          "scrypt:131072:8:1", "scrypt:8192:32:4", "scrypt:32768:1:16", "pbkdf2", "pbkdf2:sha256",
          "pbkdf2:sha1", "pbkdf2:sha512", "pbkdf2:sha256:600000", "pbkdf2:sha1:1000",
          "pbkdf2:sha256:1", "pbkdf2:sha256:1000000", "pbkdf2:sha512:1000000"}) {
      CAPTURE(m);
      CHECK(sec::valid_password_method(m));
    }
    for (std::string_view m : {"",
                               "plain",
                               "md5",
                               "sha256",
                               "pbkdf2:",
                               "pbkdf2:md5",
                               "pbkdf2:sha256:",
                               "pbkdf2:sha256:0",
                               "pbkdf2:sha256:10000001",
                               "pbkdf2:sha256:1000001",
                               "pbkdf2:sha512:10000000",
                               "pbkdf2:sha256:1:1",
                               "pbkdf2:sha256:x",
                               "scrypt:",
                               "scrypt:32768:8",
                               "scrypt:32768:8:1:1",
                               "scrypt:32767:8:1",
                               "scrypt:1:8:1",
                               "scrypt:32768:0:1",
                               "scrypt:32768:8:0",
                               "scrypt:2097152:8:1",
                               "scrypt:1048576:8:1",
                               "scrypt:262144:8:1",
                               "scrypt:2:33:1",
                               "scrypt:2:1:17",
                               "scrypt:2:524288:1",
                               "scrypt:2:1:1048576",
                               "scrypt:1024:8:1048576",
                               "scrypt:65536:1:1",
                               "scrypt:-2:8:1",
                               "scrypt:x:8:1",
                               " scrypt",
                               "scrypt:32768:8:1 "}) {
      CAPTURE(m);
      CHECK_FALSE(sec::valid_password_method(m));
    }
  }

  TEST_CASE("hash_password with an invalid method throws") {
    CHECK_THROWS_AS(sec::hash_password("cat", "md5"), std::invalid_argument);
    CHECK_THROWS_AS(sec::hash_password("cat", ""), std::invalid_argument);
    CHECK_THROWS_AS(sec::hash_password("cat", "pbkdf2:md5:1000"), std::invalid_argument);
    CHECK_THROWS_AS(sec::hash_password("cat", "scrypt:1000:8:1"), std::invalid_argument);
    CHECK_THROWS_AS(sec::hash_password("cat", "plain"), std::invalid_argument);
  }

  TEST_CASE("abbreviated methods expand to Werkzeug's defaults") {
    std::string h = sec::hash_password("cat", "pbkdf2:sha1");
    CHECK(h.rfind("pbkdf2:sha1:600000$", 0) == 0);
    CHECK(sec::verify_password(h, "cat"));
    CHECK_FALSE(sec::needs_rehash(h, "pbkdf2:sha1"));
    CHECK_FALSE(sec::needs_rehash(h, "pbkdf2:sha1:600000"));
    CHECK(sec::needs_rehash(h, "pbkdf2"));  // sha256
  }

  TEST_CASE("needs_rehash") {
    const char* pbkdf2_260k =
        "pbkdf2:sha256:260000$bTehKLztONfYlWIr$"
        "6f9556e0d5ac4bcd66a3d782aca90ceedf8aed146b0c3f9e89285a5293e81407";
    const char* scrypt_1024 =
        "scrypt:1024:8:1$Zq8WcR1tYu5IoP3s$"
        "edf8b700f28af555844724e3acbf54f739d422782ce21f9caeef500ff1454245"
        "57706d55f69277c47a3face9f19684799fdd7be153f9eda036ce7dc424c7c7bf";
    CHECK_FALSE(sec::needs_rehash(pbkdf2_260k, "pbkdf2:sha256:260000"));
    CHECK(sec::needs_rehash(pbkdf2_260k, "pbkdf2:sha256:600000"));
    CHECK(sec::needs_rehash(pbkdf2_260k, "pbkdf2:sha256"));
    CHECK(sec::needs_rehash(pbkdf2_260k, "pbkdf2:sha1:260000"));
    CHECK(sec::needs_rehash(pbkdf2_260k, "scrypt:32768:8:1"));
    CHECK_FALSE(sec::needs_rehash(scrypt_1024, "scrypt:1024:8:1"));
    CHECK(sec::needs_rehash(scrypt_1024, "scrypt:32768:8:1"));
    CHECK(sec::needs_rehash(scrypt_1024, "scrypt"));
    CHECK(sec::needs_rehash(scrypt_1024, "scrypt:1024:8:2"));
    CHECK(sec::needs_rehash(scrypt_1024, "scrypt:1024:16:1"));
    CHECK(sec::needs_rehash(scrypt_1024, "pbkdf2:sha256:600000"));
    // Malformed stored hashes always need a new hash.
    CHECK(sec::needs_rehash("", "scrypt:1024:8:1"));
    CHECK(sec::needs_rehash("scrypt:1024:8:1$abc$xyz", "scrypt:1024:8:1"));
    // A fresh hash with the configured method needs nothing.
    CHECK_FALSE(sec::needs_rehash(sec::hash_password("cat", "scrypt:16:8:1"), "scrypt:16:8:1"));
    CHECK_FALSE(sec::needs_rehash(sec::hash_password("cat", "pbkdf2:sha256:1"), "pbkdf2:sha256:1"));
    // The configured method itself must be valid.
    CHECK_THROWS_AS(sec::needs_rehash(scrypt_1024, "scrypt:3:8:1"), std::invalid_argument);
  }

  TEST_CASE("signed tokens") {
    const std::string secret = "s3cret-key-for-tests";
    const std::int64_t now = 1'700'000'000;
    const std::string token = sec::make_token(secret, "confirm", 42, now + 3600);

    SUBCASE("round trip") {
      CHECK(all_of_alphabet(token, std::string(kBase64Url) + "."));
      auto data = sec::verify_token(secret, "confirm", token, now);
      REQUIRE(data.has_value());
      CHECK(data->user_id == 42);
      CHECK(data->expires_at == now + 3600);
      CHECK(data->extra.empty());
      CHECK(sec::verify_token(secret, "confirm", token, now + 3599).has_value());
    }

    SUBCASE("another user's token carries that user's id") {
      auto other = sec::verify_token(secret, "confirm",
                                     sec::make_token(secret, "confirm", 43, now + 60), now);
      REQUIRE(other.has_value());
      CHECK(other->user_id == 43);
      CHECK(other->user_id != 42);
      auto negative =
          sec::verify_token(secret, "api", sec::make_token(secret, "api", -7, now + 1), now);
      REQUIRE(negative.has_value());
      CHECK(negative->user_id == -7);
    }

    SUBCASE("wrong purpose") {
      CHECK_FALSE(sec::verify_token(secret, "reset", token, now).has_value());
      CHECK_FALSE(sec::verify_token(secret, "", token, now).has_value());
      CHECK_FALSE(sec::verify_token(secret, "confirm\n", token, now).has_value());
    }

    SUBCASE("expired") {
      CHECK_FALSE(sec::verify_token(secret, "confirm", token, now + 3600).has_value());
      CHECK_FALSE(sec::verify_token(secret, "confirm", token, now + 100000).has_value());
      std::string past = sec::make_token(secret, "confirm", 42, now - 1);
      CHECK_FALSE(sec::verify_token(secret, "confirm", past, now).has_value());
    }

    SUBCASE("wrong secret") {
      CHECK_FALSE(sec::verify_token("another-secret", "confirm", token, now).has_value());
      CHECK_FALSE(sec::verify_token("", "confirm", token, now).has_value());
      CHECK_THROWS_AS(sec::make_token("", "confirm", 42, now), std::invalid_argument);
    }

    SUBCASE("tampered payload") {
      auto dot = token.find('.');
      for (std::size_t i = 0; i < dot; ++i) {
        CAPTURE(i);
        CHECK_FALSE(sec::verify_token(secret, "confirm", flip(token, i), now).has_value());
      }
      // A payload for user 1 with the signature of user 42's token.
      std::string forged =
          sec::base64url_encode(std::to_string(1) + "|" + std::to_string(now + 3600) + "|") +
          token.substr(dot);
      CHECK_FALSE(sec::verify_token(secret, "confirm", forged, now).has_value());
      // Longer expiry, same signature.
      std::string longer =
          sec::base64url_encode("42|" + std::to_string(now + 999999) + "|") + token.substr(dot);
      CHECK_FALSE(sec::verify_token(secret, "confirm", longer, now).has_value());
    }

    SUBCASE("tampered signature") {
      auto dot = token.find('.');
      for (std::size_t i = dot + 1; i < token.size(); ++i) {
        CAPTURE(i);
        CHECK_FALSE(sec::verify_token(secret, "confirm", flip(token, i), now).has_value());
      }
      CHECK_FALSE(
          sec::verify_token(secret, "confirm", token.substr(0, token.size() - 1), now).has_value());
      CHECK_FALSE(sec::verify_token(secret, "confirm", token + "A", now).has_value());
      CHECK_FALSE(sec::verify_token(secret, "confirm", token + "=", now).has_value());
      CHECK_FALSE(sec::verify_token(secret, "confirm", token.substr(0, dot + 1), now).has_value());
    }

    SUBCASE("junk") {
      const std::string payload_only = token.substr(0, token.find('.'));
      const std::vector<std::string> junks = {"",
                                              ".",
                                              "..",
                                              "a.b.c",
                                              "a.b",
                                              payload_only,
                                              payload_only + ".",
                                              "." + payload_only,
                                              "abc",
                                              "\xff\xfe.\x01",
                                              "Zm9v.Zm9v",
                                              "!!!.###",
                                              token + ".abc",
                                              std::string("a\0.b", 4)};
      for (const std::string& junk : junks) {
        CAPTURE(junk);
        std::optional<sec::TokenData> data;
        CHECK_NOTHROW(data = sec::verify_token(secret, "confirm", junk, now));
        CHECK_FALSE(data.has_value());
      }
    }

    SUBCASE("extra round trip with '|' and unicode") {
      const std::string extra = "new|addr\xc3\xa9ss@example.com|\xe2\x9c\x93|";
      std::string t = sec::make_token(secret, "change_email", 42, now + 3600, extra);
      auto data = sec::verify_token(secret, "change_email", t, now);
      REQUIRE(data.has_value());
      CHECK(data->extra == extra);
      CHECK(data->user_id == 42);
      CHECK(data->expires_at == now + 3600);
      CHECK_FALSE(sec::verify_token(secret, "confirm", t, now).has_value());
      // Binary extra with NUL bytes survives as well.
      const std::string binary("a\0|b", 4);
      auto bin =
          sec::verify_token(secret, "x", sec::make_token(secret, "x", 1, now + 1, binary), now);
      REQUIRE(bin.has_value());
      CHECK(bin->extra == binary);
    }

    SUBCASE("tokens differ by user, purpose and expiry") {
      std::set<std::string> tokens = {token, sec::make_token(secret, "confirm", 43, now + 3600),
                                      sec::make_token(secret, "reset", 42, now + 3600),
                                      sec::make_token(secret, "confirm", 42, now + 3601),
                                      sec::make_token(secret, "confirm", 42, now + 3600, "x")};
      CHECK(tokens.size() == 5);
    }
  }
}

TEST_CASE("base64_decode: standard alphabet with padding, strict") {
  using inkwell::security::base64_decode;
  CHECK(base64_decode("dXNlcjpwYXNz") == std::optional<std::string>("user:pass"));
  CHECK(base64_decode("YTpi") == std::optional<std::string>("a:b"));
  CHECK(base64_decode("YQ==") == std::optional<std::string>("a"));
  CHECK(base64_decode("YWI=") == std::optional<std::string>("ab"));
  CHECK(base64_decode("") == std::optional<std::string>(""));
  CHECK(base64_decode("+/+/") == std::optional<std::string>("\xfb\xff\xbf"));
  for (const char* bad : {"YQ", "YQ=", "Y===", "Y=Q=", "YW-_", "YW I", "=YWI", "YQ==YQ=="}) {
    CHECK_MESSAGE(!base64_decode(bad), bad);
  }
}
