#include "core/time_format.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace inkwell::core {
namespace {

// Parses exactly `width` digits at s[pos].
bool digits(std::string_view s, std::size_t pos, std::size_t width, int& out) {
  int v = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil): no time zone, no locale, no libc state.
long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// JavaScript's Math.round for the non-negative values used here.
long js_round(double x) {
  return static_cast<long>(std::floor(x + 0.5));
}

std::string count_ago(long n, const char* unit) {
  std::string out = std::to_string(n);
  out += ' ';
  out += unit;
  out += "s ago";
  return out;
}

}  // namespace

std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso_utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::time_t> parse_iso_utc(std::string_view s) {
  // 0123456789012345678 9
  // YYYY-MM-DDTHH:MM:SS Z
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || s[19] != 'Z') {
    return std::nullopt;
  }
  int y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, mo) || !digits(s, 8, 2, d) || !digits(s, 11, 2, h) ||
      !digits(s, 14, 2, mi) || !digits(s, 17, 2, se)) {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && leap(y)) || h > 23 || mi > 59 ||
      se > 60) {
    return std::nullopt;
  }
  const long days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return static_cast<std::time_t>(days) * 86400 + h * 3600 + mi * 60 + se;
}

std::string relative_time(std::string_view iso_utc, std::time_t now) {
  const auto t = parse_iso_utc(iso_utc);
  if (!t) return {};
  const double ms = now > *t ? static_cast<double>(now - *t) * 1000.0 : 0.0;
  // moment.js: every unit is the whole duration in that unit, rounded;
  // months are days * 4800 / 146097 (the mean Gregorian month).
  const long seconds = js_round(ms / 1e3);
  const long minutes = js_round(ms / 6e4);
  const long hours = js_round(ms / 36e5);
  const double day_count = ms / 864e5;
  const long days = js_round(day_count);
  const double month_count = day_count * 4800.0 / 146097.0;
  const long months = js_round(month_count);
  const long years = js_round(month_count / 12.0);
  // Thresholds: ss 44, m 45, h 22, d 26, M 11.
  if (seconds <= 44) return "a few seconds ago";
  if (minutes <= 1) return "a minute ago";
  if (minutes < 45) return count_ago(minutes, "minute");
  if (hours <= 1) return "an hour ago";
  if (hours < 22) return count_ago(hours, "hour");
  if (days <= 1) return "a day ago";
  if (days < 26) return count_ago(days, "day");
  if (months <= 1) return "a month ago";
  if (months < 11) return count_ago(months, "month");
  if (years <= 1) return "a year ago";
  return count_ago(years, "year");
}

std::string readable_utc(std::string_view iso_utc) {
  if (!parse_iso_utc(iso_utc)) return {};
  static constexpr std::string_view kMonths[] = {"January",   "February", "March",    "April",
                                                 "May",       "June",     "July",     "August",
                                                 "September", "October",  "November", "December"};
  // The fields are the valid ISO text's own: no conversion, no printf (20
  // of these on every page of posts).
  const std::string_view day = iso_utc.substr(iso_utc[8] == '0' ? 9 : 8, iso_utc[8] == '0' ? 1 : 2);
  const int month = (iso_utc[5] - '0') * 10 + (iso_utc[6] - '0');
  std::string out;
  out.reserve(32);
  out.append(day).append(1, ' ').append(kMonths[month - 1]).append(1, ' ');
  out.append(iso_utc.substr(0, 4)).append(", ").append(iso_utc.substr(11, 5)).append(" UTC");
  return out;
}

}  // namespace inkwell::core
