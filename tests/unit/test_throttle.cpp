// The login throttle's rules: per (account, address) and per address, never
// per account alone; a flood lowers the pair's allowance.
#include <doctest/doctest.h>

#include "auth/throttle.hpp"

using inkwell::auth::login_throttled;
using inkwell::auth::under_flood;
using inkwell::models::LoginFailures;

TEST_CASE("throttle: five failures of a pair, or twenty of an address") {
  CHECK(!login_throttled(LoginFailures{0, 0, 0}));
  CHECK(!login_throttled(LoginFailures{4, 4, 4}));
  CHECK(login_throttled(LoginFailures{5, 5, 5}));
  CHECK(!login_throttled(LoginFailures{0, 19, 0}));
  CHECK(login_throttled(LoginFailures{0, 20, 0}));
}

TEST_CASE("throttle: failures against the account from elsewhere never throttle a fresh address") {
  // However many failures the account has, an address with none may try.
  CHECK(!login_throttled(LoginFailures{0, 0, 19}));
  CHECK(!login_throttled(LoginFailures{0, 0, 1000}));
  CHECK(!login_throttled(LoginFailures{1, 1, 1000}));
}

TEST_CASE("throttle: in a flood an address gets two tries, not five") {
  CHECK(!under_flood(LoginFailures{0, 0, 19}));
  CHECK(under_flood(LoginFailures{0, 0, 20}));
  CHECK(!login_throttled(LoginFailures{2, 2, 19}));
  CHECK(login_throttled(LoginFailures{2, 2, 20}));
  CHECK(!login_throttled(LoginFailures{1, 1, 20}));
}
