#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace playstream::events {

// Parses a UTC timestamp: "YYYY-MM-DD hh:mm" (the classroom format), "YYYY-MM-DD hh:mm:ss" or
// "YYYY-MM-DD hh:mm:ss.mmm" (ours); a 'T' may stand for the space and a trailing 'Z' is allowed.
// Hours are read as written, 00-23. Every field is range-checked (leap years included).
// On failure returns false and, if `why` is given, says what is wrong.
bool parse_timestamp(std::string_view text, std::int64_t& ms_since_epoch, std::string* why = nullptr);

// "YYYY-MM-DD hh:mm:ss.mmm", UTC, 24-hour clock.
std::string format_timestamp(std::int64_t ms_since_epoch);

// The partition columns of a listen: `date` as YYYY-MM-DD and `hour` 0-23, both UTC.
void derive_date_hour(std::int64_t ms_since_epoch, std::string& date, std::int32_t& hour);

}  // namespace playstream::events
