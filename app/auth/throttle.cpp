#include "auth/throttle.hpp"

namespace inkwell::auth {

bool under_flood(const models::LoginFailures& f) {
  return f.account >= kFloodFailures;
}

bool login_throttled(const models::LoginFailures& f) {
  long per_pair = under_flood(f) ? kFailuresPerPairInFlood : kFailuresPerPair;
  return f.pair >= per_pair || f.address >= kFailuresPerAddress;
}

}  // namespace inkwell::auth
