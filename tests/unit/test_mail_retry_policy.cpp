#include <doctest/doctest.h>

#include "mailer/retry_policy.hpp"

namespace mailer = inkwell::mailer;

TEST_CASE("mail lease: short, and renewed well before it runs out") {
  CHECK(mailer::kLeaseSeconds <= 30);
  CHECK(mailer::lease_renew_every_seconds(30) == 10);
  CHECK(mailer::lease_renew_every_seconds(2) == 1);  // never 0: no busy loop
  for (int lease : {1, 2, 3, 10, 30, 300}) {
    CHECK(mailer::lease_renew_every_seconds(lease) * 2 <= std::max(lease, 2));
  }
}

TEST_CASE("mail back-off doubles up to INKWELL_MAIL_RETRY_MAX") {
  CHECK(mailer::backoff_seconds(0, 300) == 1);
  CHECK(mailer::backoff_seconds(1, 300) == 2);
  CHECK(mailer::backoff_seconds(5, 300) == 32);
  CHECK(mailer::backoff_seconds(9, 300) == 300);
  CHECK(mailer::backoff_seconds(1000, 300) == 300);
  CHECK(mailer::backoff_seconds(3, 2) == 2);
}

TEST_CASE("a refused message is given up on its INKWELL_MAIL_MAX_ATTEMPTS-th refusal") {
  CHECK_FALSE(mailer::give_up(1, 3));
  CHECK_FALSE(mailer::give_up(2, 3));
  CHECK(mailer::give_up(3, 3));
  CHECK(mailer::give_up(1, 1));
}
