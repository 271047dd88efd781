// The rules of login throttling, as pure functions of the failure counts.
// Failures are counted per (account, client address) and per client
// address, never per account alone: a correct password from an address that
// is not itself throttled always logs in, so no one can lock an owner out.
#pragma once

#include "models/session.hpp"

namespace inkwell::auth {

inline constexpr long kThrottleWindowSeconds = 15 * 60;
inline constexpr long kFailuresPerPair = 5;      // one address against one account
inline constexpr long kFailuresPerAddress = 20;  // one address against any accounts
// Failures against one account from all addresses that make it a flood: the
// owner is told (once a day at most) and each address may fail fewer times.
inline constexpr long kFloodFailures = 20;
inline constexpr long kFailuresPerPairInFlood = 2;
inline constexpr long kLoginAlertEverySeconds = 24L * 3600;

// True while the account is the target of failures from many addresses.
bool under_flood(const models::LoginFailures& f);
// True when this address may not try this account now.
bool login_throttled(const models::LoginFailures& f);

}  // namespace inkwell::auth
