// Two-factor building blocks: TOTP against RFC 6238's test vectors (SHA-1),
// RFC 4648 base32, AES-GCM boxes for secrets at rest, and the QR code.
#include <doctest/doctest.h>

#include "core/qr_svg.hpp"
#include "core/secret_box.hpp"
#include "core/totp.hpp"

namespace totp = inkwell::totp;

TEST_CASE("totp: RFC 6238 appendix B, SHA-1, 8 digits") {
  const std::string secret = "12345678901234567890";
  CHECK(totp::code_at(secret, totp::step_of(59), 8) == "94287082");
  CHECK(totp::code_at(secret, totp::step_of(1111111109), 8) == "07081804");
  CHECK(totp::code_at(secret, totp::step_of(1111111111), 8) == "14050471");
  CHECK(totp::code_at(secret, totp::step_of(1234567890), 8) == "89005924");
  CHECK(totp::code_at(secret, totp::step_of(2000000000), 8) == "69279037");
  CHECK(totp::code_at(secret, totp::step_of(20000000000), 8) == "65353130");
  // Six digits are the last six.
  CHECK(totp::code_at(secret, totp::step_of(1111111109)) == "081804");
}

TEST_CASE("totp: ±1 step, and a step once") {
  const std::string secret = "12345678901234567890";
  const std::int64_t now = totp::step_of(1234567890);
  for (std::int64_t s : {now - 1, now, now + 1}) {
    CHECK(totp::matching_step(secret, totp::code_at(secret, s), now, 0) == s);
  }
  CHECK(!totp::matching_step(secret, totp::code_at(secret, now - 2), now, 0));
  CHECK(!totp::matching_step(secret, totp::code_at(secret, now + 2), now, 0));
  // Used already: that step and the ones before it are refused.
  CHECK(!totp::matching_step(secret, totp::code_at(secret, now), now, now));
  CHECK(!totp::matching_step(secret, totp::code_at(secret, now - 1), now, now));
  CHECK(totp::matching_step(secret, totp::code_at(secret, now + 1), now, now) == now + 1);
  CHECK(!totp::matching_step(secret, "", now, 0));
  CHECK(!totp::matching_step(secret, "12345", now, 0));
}

TEST_CASE("totp: base32 as in RFC 4648 and otpauth URIs") {
  CHECK(totp::base32_encode("") == "");
  CHECK(totp::base32_encode("f") == "MY");
  CHECK(totp::base32_encode("foobar") == "MZXW6YTBOI");
  CHECK(totp::base32_encode("12345678901234567890") == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  CHECK(totp::base32_decode("MZXW6YTBOI") == std::string("foobar"));
  CHECK(totp::base32_decode("mzxw 6ytb oi======") == std::string("foobar"));
  CHECK(!totp::base32_decode("MZXW1"));  // 1 is not in the alphabet
  CHECK(!totp::base32_decode("M"));      // no whole byte
  CHECK(totp::otpauth_uri("Inkwell", "a+b@example.com", "12345678901234567890") ==
        "otpauth://totp/Inkwell:a%2Bb%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        "&issuer=Inkwell");
}

TEST_CASE("secret box: AES-GCM round trip; tampering, another key or owner opens nothing") {
  const std::string key = "a secret key of the site, 32+ chars";
  std::string box = inkwell::security::seal(key, "user 7", "the totp secret");
  CHECK(inkwell::security::open(key, "user 7", box) == std::string("the totp secret"));
  CHECK(inkwell::security::seal(key, "user 7", "the totp secret") != box);  // fresh nonce
  CHECK(!inkwell::security::open(key, "user 8", box));
  CHECK(!inkwell::security::open(key + "x", "user 7", box));
  std::string tampered = box;
  char& c = tampered[tampered.size() / 2];
  c = c == 'A' ? 'B' : 'A';
  CHECK(!inkwell::security::open(key, "user 7", tampered));
  CHECK(!inkwell::security::open(key, "user 7", ""));
  CHECK(!inkwell::security::open(key, "user 7", "not base64url!"));
  CHECK(box.find("totp") == std::string::npos);
}

TEST_CASE("qr code: an SVG of the URI, nothing external") {
  std::string svg = inkwell::core::qr_svg("otpauth://totp/Inkwell:a@example.com?secret=MY");
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.find("<path fill=\"#000\" d=\"M") != std::string::npos);
  CHECK(svg.find("http", svg.find("http") + 1) == std::string::npos);  // only the namespace
  CHECK(inkwell::core::qr_svg("x") != inkwell::core::qr_svg("y"));
}
