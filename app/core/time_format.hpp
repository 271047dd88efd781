// Times as the pages show them: the UTC ISO form the models produce
// ("2024-05-01T12:00:00Z") and a relative form like moment.js's fromNow().
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace inkwell::core {

// This host's clock: microseconds since the epoch.
std::int64_t now_micros();

// Seconds since the epoch → "YYYY-MM-DDTHH:MM:SSZ".
std::string iso_utc(std::time_t t);
// "YYYY-MM-DDTHH:MM:SSZ" → seconds since the epoch; nullopt when malformed.
std::optional<std::time_t> parse_iso_utc(std::string_view iso_utc);

// "a few seconds ago", "a minute ago", "3 minutes ago", "an hour ago",
// "5 hours ago", "a day ago", "4 days ago", "a month ago", "2 months ago",
// "a year ago", "3 years ago", with moment.js's thresholds and rounding. A
// time after now (clock skew) counts as now; a malformed time gives "".
std::string relative_time(std::string_view iso_utc, std::time_t now);

// "YYYY-MM-DDTHH:MM:SSZ" → "14 November 2023, 22:13 UTC": the tooltip of a
// <time> element, for people (views/static/times.js shows local time
// instead). A malformed time gives "".
std::string readable_utc(std::string_view iso_utc);

}  // namespace inkwell::core
