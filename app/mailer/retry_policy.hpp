// The mailer's arithmetic of time: how long a claim lasts, how often it is
// renewed, the back-off between attempts and when a refused message is given
// up. Pure, so that it is tested without a clock.
#pragma once

#include <algorithm>

namespace inkwell::mailer {

// A claim lease is short, so that the messages of a mailer killed mid-send
// are due again within half a minute, and renewed while they are being
// worked on (LeaseKeeper), so that no other mailer takes them meanwhile.
inline constexpr int kLeaseSeconds = 30;

// Renewed every third of the lease: two renewals may fail before it runs out.
constexpr int lease_renew_every_seconds(int lease_seconds) {
  return std::max(1, lease_seconds / 3);
}

// Seconds until the next try after `attempts` failed ones: 1, 2, 4, ...
// capped at retry_max.
constexpr int backoff_seconds(unsigned attempts, int retry_max) {
  if (attempts >= 30) return retry_max;
  long long s = 1LL << attempts;
  return static_cast<int>(std::min<long long>(s, retry_max));
}

// True when a message refused for good (a 5xx reply) on its `attempt`-th try
// (1 for the first) is given up rather than tried again.
constexpr bool give_up(unsigned attempt, int max_attempts) {
  return static_cast<long long>(attempt) >= max_attempts;
}

}  // namespace inkwell::mailer
