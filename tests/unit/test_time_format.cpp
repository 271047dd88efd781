#include <doctest/doctest.h>

#include "core/time_format.hpp"

using inkwell::core::parse_iso_utc;
using inkwell::core::relative_time;

namespace {
constexpr std::time_t kBase = 1'700'000'000;  // 2023-11-14T22:13:20Z
constexpr const char* kIso = "2023-11-14T22:13:20Z";
constexpr long kMin = 60, kHour = 3600, kDay = 86400;

std::string ago(long seconds) {
  return relative_time(kIso, kBase + seconds);
}
}  // namespace

TEST_CASE("parse_iso_utc") {
  CHECK(parse_iso_utc("1970-01-01T00:00:00Z") == std::time_t{0});
  CHECK(parse_iso_utc(kIso) == kBase);
  CHECK(parse_iso_utc("2000-02-29T12:00:00Z") == std::time_t{951825600});
  CHECK(parse_iso_utc("2038-01-19T03:14:08Z") == std::time_t{2147483648});
  CHECK_FALSE(parse_iso_utc(""));
  CHECK_FALSE(parse_iso_utc("2023-11-14 22:13:20"));
  CHECK_FALSE(parse_iso_utc("2023-11-14T22:13:20"));
  CHECK_FALSE(parse_iso_utc("2023-11-14T22:13:20+01:00"));
  CHECK_FALSE(parse_iso_utc("2023-13-01T00:00:00Z"));
  CHECK_FALSE(parse_iso_utc("2023-02-29T00:00:00Z"));
  CHECK_FALSE(parse_iso_utc("2023-04-31T00:00:00Z"));
  CHECK_FALSE(parse_iso_utc("2023-01-01T24:00:00Z"));
  CHECK_FALSE(parse_iso_utc("2023-0a-01T00:00:00Z"));
}

TEST_CASE("relative_time follows moment.js fromNow") {
  CHECK(ago(0) == "a few seconds ago");
  CHECK(ago(44) == "a few seconds ago");
  CHECK(ago(45) == "a minute ago");
  CHECK(ago(89) == "a minute ago");
  CHECK(ago(90) == "2 minutes ago");
  CHECK(ago(3 * kMin) == "3 minutes ago");
  CHECK(ago(44 * kMin) == "44 minutes ago");
  CHECK(ago(44 * kMin + 29) == "44 minutes ago");
  CHECK(ago(44 * kMin + 30) == "an hour ago");
  CHECK(ago(89 * kMin) == "an hour ago");
  CHECK(ago(90 * kMin) == "2 hours ago");
  CHECK(ago(5 * kHour) == "5 hours ago");
  CHECK(ago(21 * kHour) == "21 hours ago");
  CHECK(ago(21 * kHour + 30 * kMin) == "a day ago");
  CHECK(ago(35 * kHour) == "a day ago");
  CHECK(ago(36 * kHour) == "2 days ago");
  CHECK(ago(4 * kDay) == "4 days ago");
  CHECK(ago(25 * kDay) == "25 days ago");
  CHECK(ago(26 * kDay) == "a month ago");
  CHECK(ago(45 * kDay) == "a month ago");
  CHECK(ago(46 * kDay) == "2 months ago");
  CHECK(ago(60 * kDay) == "2 months ago");
  CHECK(ago(319 * kDay) == "10 months ago");
  CHECK(ago(320 * kDay) == "a year ago");
  CHECK(ago(547 * kDay) == "a year ago");
  CHECK(ago(548 * kDay) == "2 years ago");
  CHECK(ago(3 * 365 * kDay) == "3 years ago");
}

TEST_CASE("relative_time: future times count as now; malformed gives nothing") {
  CHECK(ago(-5) == "a few seconds ago");
  CHECK(ago(-10 * kDay) == "a few seconds ago");
  CHECK(relative_time("not a time", kBase).empty());
  CHECK(relative_time("", kBase).empty());
}

TEST_CASE("time format: iso_utc is the inverse of parse_iso_utc") {
  CHECK(inkwell::core::iso_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(inkwell::core::iso_utc(1714564800) == "2024-05-01T12:00:00Z");
  CHECK(inkwell::core::parse_iso_utc(inkwell::core::iso_utc(1714564800)) == 1714564800);
}

TEST_CASE("time format: readable_utc is the tooltip people read") {
  using inkwell::core::readable_utc;
  CHECK(readable_utc(kIso) == "14 November 2023, 22:13 UTC");
  CHECK(readable_utc("2024-02-29T00:05:59Z") == "29 February 2024, 00:05 UTC");
  CHECK(readable_utc("1999-12-31T23:59:00Z") == "31 December 1999, 23:59 UTC");
  CHECK(readable_utc("2024-03-05T07:08:09Z") == "5 March 2024, 07:08 UTC");
  CHECK(readable_utc("2025-10-10T10:00:00Z") == "10 October 2025, 10:00 UTC");
  CHECK(readable_utc("2024-02-30T00:00:00Z").empty());
  CHECK(readable_utc("").empty());
}
