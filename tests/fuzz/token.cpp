// Fuzzes security::verify_token, which reads the tokens of confirmation,
// password-reset and email-change links and of API requests.
//
// The input is used twice: as a token as a client would send it (it must not
// verify: nobody can forge the HMAC), and as a payload the harness signs
// itself, so the parsing behind the signature check (user id, expiry, extra)
// is fuzzed as well. A token that verifies must give back what make_token
// was given.
//
// Input: the token text, a NUL byte, the payload to sign:
// "MXwxNzAwMDAwMDAwfA.abc\0" "42|1700000600|ZXh0cmE".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/security.hpp"
#include "fields.hpp"

namespace sec = inkwell::security;
using inkwell::fuzz::require;

namespace {

constexpr std::string_view kSecret = "fuzzing secret key";
constexpr std::string_view kPurpose = "confirm";
constexpr std::int64_t kNow = 1'700'000'000;

// A token as make_token spells it, over any payload.
std::string sign(std::string_view payload) {
  const std::string signature =
      sec::hmac_sha256(kSecret, std::string(kPurpose) + "\n" + std::string(payload));
  return sec::base64url_encode(payload) + "." + sec::base64url_encode(signature);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [token, payload] = inkwell::fuzz::fields<2>(data, size);

  // A client's token: only the harness's own signature could make it pass.
  if (sec::verify_token(kSecret, kPurpose, token, kNow)) {
    const auto payload_text = sec::base64url_decode(token.substr(0, token.find('.')));
    require(payload_text && token == sign(*payload_text),
            "a token that verifies is exactly the signed payload");
  }
  (void)sec::verify_token("", kPurpose, token, kNow);

  // A signed payload: the fields behind the signature.
  const std::string signed_token = sign(payload);
  if (auto data_out = sec::verify_token(kSecret, kPurpose, signed_token, kNow)) {
    require(data_out->expires_at > kNow, "an expired token never verifies");
    const std::string again = sec::make_token(kSecret, kPurpose, data_out->user_id,
                                              data_out->expires_at, data_out->extra);
    auto round = sec::verify_token(kSecret, kPurpose, again, kNow);
    require(round && round->user_id == data_out->user_id &&
                round->expires_at == data_out->expires_at && round->extra == data_out->extra,
            "make_token round-trips what verify_token read");
    require(!sec::verify_token(kSecret, "reset", signed_token, kNow), "purposes do not mix");
  }
  return 0;
}
