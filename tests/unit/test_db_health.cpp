#include <doctest/doctest.h>

#include "core/db_health.hpp"
#include "core/log_throttle.hpp"

using inkwell::core::DbHealth;
using inkwell::core::LogThrottle;

TEST_CASE("log throttle: one line a second, counting the events it stands for") {
  LogThrottle t;
  CHECK(t.record(10'000) == 1);  // the first event is logged at once
  CHECK(t.record(10'001) == 0);
  CHECK(t.record(10'500) == 0);
  CHECK(t.record(10'999) == 0);
  CHECK(t.record(11'000) == 4);  // the three held back and this one
  CHECK(t.record(11'001) == 0);
  CHECK(t.record(50'000) == 2);  // after a quiet spell: at once again
}

TEST_CASE("db health: up, everyone may use the database") {
  DbHealth h(6000);
  CHECK_FALSE(h.down());
  CHECK(h.may_try(1000, 11));
  CHECK(h.may_try(1000, 12));
}

TEST_CASE("db health: down, one worker probes while the others are refused") {
  DbHealth h(6000);
  h.failed(1000, 11, false);
  CHECK(h.down());
  CHECK(h.may_try(1001, 12));        // takes the turn to probe
  CHECK(h.may_try(1002, 12));        // and keeps it for its whole request
  CHECK_FALSE(h.may_try(1002, 11));  // everyone else answers 503 at once
  CHECK_FALSE(h.may_try(6999, 13));
  // A worker failing on an older connection does not end the probe.
  h.failed(2000, 13, true);
  CHECK_FALSE(h.may_try(2001, 11));
  // The probe's connect timed out: requests in the next half second get
  // their 503 at once; then the next one probes.
  h.failed(6000, 12, true);
  CHECK_FALSE(h.may_try(6001, 12));
  CHECK_FALSE(h.may_try(6001 + DbHealth::kProbeGapMs - 2, 11));
  CHECK(h.may_try(6000 + DbHealth::kProbeGapMs, 11));
  CHECK_FALSE(h.may_try(6000 + DbHealth::kProbeGapMs, 12));
  CHECK(h.last_failure_slow());
  // A probe that overran its turn (a hung process) lets another one try.
  CHECK(h.may_try(6000 + DbHealth::kProbeGapMs + 6000, 13));
}

TEST_CASE("db health: the first success brings the database back for all") {
  DbHealth h(6000);
  h.failed(1000, 11, false);
  REQUIRE(h.may_try(1001, 12));
  h.succeeded();
  CHECK_FALSE(h.down());
  CHECK(h.may_try(1002, 11));
  CHECK(h.may_try(1002, 13));
}
