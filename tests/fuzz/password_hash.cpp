// Fuzzes the Werkzeug hash-string parser behind security::verify_password,
// needs_rehash and valid_password_method. Stored hashes come from outside
// when a Flasky database is imported; methods come from the configuration.
//
// verify_password derives a key with whatever parameters the string names.
// The parser must refuse costly ones, so the harness checks that every
// method it accepts costs at most kMaxWork (scrypt's N*r*p, pbkdf2's
// iterations: about four times Werkzeug's defaults). Even allowed methods
// take up to a second, which would leave the fuzzer little time for anything
// else: verify_password gets the input when the method is refused (it must
// then answer at once) or costs at most kCheapWork.
//
// Input: the stored hash, a NUL byte, the password:
// "pbkdf2:sha256:1000$salt$<64 hex>\0secret".
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/security.hpp"
#include "fields.hpp"

namespace sec = inkwell::security;
using inkwell::fuzz::require;

namespace {

constexpr std::uint64_t kMaxWork = 1 << 20;
constexpr std::uint64_t kCheapWork = 1 << 14;  // a few milliseconds of hashing
constexpr std::uint64_t kSaturated = std::uint64_t{1} << 40;

// The product of the all-digit ':' fields of the method (before the first
// '$'), saturating at kSaturated: scrypt's N*r*p, pbkdf2's iterations.
std::uint64_t work(std::string_view hash) {
  std::string_view method = hash.substr(0, hash.find('$'));
  std::uint64_t product = 1;
  while (true) {
    const std::size_t colon = method.find(':');
    const std::string_view field = method.substr(0, colon);
    if (!field.empty() && field.find_first_not_of("0123456789") == std::string_view::npos) {
      std::uint64_t number = 0;
      for (char c : field)
        number = std::min(number * 10 + static_cast<unsigned>(c - '0'), kSaturated);
      product = std::min(product * number, kSaturated);  // both <= 2^40: no overflow
    }
    if (colon == std::string_view::npos) return product;
    method.remove_prefix(colon + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [hash, password] = inkwell::fuzz::fields<2>(data, size);

  // The input as a configured method: valid exactly when needs_rehash accepts it.
  const bool valid = sec::valid_password_method(hash);
  try {
    (void)sec::needs_rehash("pbkdf2:sha256:1000$salt$00", hash);
    require(valid, "needs_rehash accepted a method valid_password_method refuses");
  } catch (const std::invalid_argument&) {
    require(!valid, "needs_rehash refused a method valid_password_method accepts");
  }

  require(!valid || work(hash) <= kMaxWork, "an accepted method costs at most kMaxWork");

  // The input as a stored hash.
  (void)sec::needs_rehash(hash, "scrypt:16384:8:1");
  const std::string_view method = hash.substr(0, hash.find('$'));
  if ((work(hash) <= kCheapWork || !sec::valid_password_method(method)) &&
      sec::verify_password(hash, password)) {
    // Seeds hold real hashes with their passwords; a mutant that still
    // verifies must be bound to that one password and be a current method.
    require(!sec::verify_password(hash, std::string(password) + "x"), "one password verifies");
    require(sec::valid_password_method(method) && !sec::needs_rehash(hash, method),
            "a verified hash was made with a valid method, its own");
  }
  return 0;
}
