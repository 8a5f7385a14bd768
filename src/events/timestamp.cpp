#include "events/timestamp.hpp"

#include <array>
#include <charconv>

#include "util/escape.hpp"

// Civil-date arithmetic is Howard Hinnant's days_from_civil / civil_from_days
// (https://howardhinnant.github.io/date_algorithms.html): exact for any proleptic Gregorian date,
// independent of the process's time zone, and a few integer operations per call.
// Accepted years are 0001-9999: four digits, no sign, so every accepted text formats back to
// itself.

namespace playstream::events {
namespace {

constexpr std::int64_t ms_per_day = 86'400'000;
constexpr std::string_view expected_layout = "expected 'YYYY-MM-DD hh:mm[:ss[.fff]]'";
constexpr std::size_t max_echoed_chars = 64;  // of a bad time, escaped: enough to see what it was

struct CivilDate {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

struct Fields {
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
};

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = floor_div(y, 400);
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr CivilDate civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = floor_div(z, 146097);
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(1969, 12, 31) == -1);
static_assert(civil_from_days(-1).year == 1969 && civil_from_days(-1).day == 31);

constexpr bool is_leap(unsigned y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

constexpr unsigned days_in_month(unsigned y, unsigned m) {
    constexpr std::array<unsigned char, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Reads `count` decimal digits at `p`; false on any non-digit.
bool read_digits(const char* p, int count, unsigned& value) {
    unsigned v = 0;
    for (int i = 0; i < count; ++i) {
        const unsigned digit = static_cast<unsigned char>(p[i]) - unsigned{'0'};
        if (digit > 9) return false;
        v = v * 10 + digit;
    }
    value = v;
    return true;
}

// Milliseconds from 1-6 fraction digits: ".5" is 500 ms, digits past the third are truncated.
bool read_fraction(std::string_view digits, unsigned& millis) {
    if (digits.empty() || digits.size() > 6) return false;
    unsigned value = 0;
    if (!read_digits(digits.data(), static_cast<int>(digits.size()), value)) return false;
    constexpr std::array<unsigned, 7> scale{0, 100, 10, 1, 10, 100, 1000};
    millis = digits.size() <= 3 ? value * scale[digits.size()] : value / scale[digits.size()];
    return true;
}

// Layout check and digit extraction; `s` has had any trailing 'Z' removed.
bool scan(std::string_view s, Fields& f) {
    if (s.size() < 16) return false;
    const char* p = s.data();
    if (p[4] != '-' || p[7] != '-' || (p[10] != ' ' && p[10] != 'T') || p[13] != ':') return false;
    if (!read_digits(p, 4, f.year) || !read_digits(p + 5, 2, f.month) ||
        !read_digits(p + 8, 2, f.day) || !read_digits(p + 11, 2, f.hour) ||
        !read_digits(p + 14, 2, f.minute)) {
        return false;
    }
    if (s.size() == 16) return true;
    if (s.size() < 19 || p[16] != ':' || !read_digits(p + 17, 2, f.second)) return false;
    if (s.size() == 19) return true;
    return p[19] == '.' && read_fraction(s.substr(20), f.millis);
}

enum class Field { None, Year, Month, Day, Hour, Minute, Second };

// The first field out of range, or Field::None. Year 0 is the only 4-digit year rejected.
Field first_out_of_range(const Fields& f) {
    if (f.year < 1) return Field::Year;
    if (f.month < 1 || f.month > 12) return Field::Month;
    if (f.day < 1 || f.day > days_in_month(f.year, f.month)) return Field::Day;
    if (f.hour > 23) return Field::Hour;
    if (f.minute > 59) return Field::Minute;
    if (f.second > 59) return Field::Second;  // Unix time has no leap seconds
    return Field::None;
}

// `text` has passed scan(), so its first 7 characters are "YYYY-MM".
std::string describe(Field bad, const Fields& f, std::string_view text) {
    const auto say = [](std::string_view name, unsigned value) {
        return std::string(name).append(" ").append(std::to_string(value)).append(" out of range");
    };
    switch (bad) {
        case Field::Year: return say("year", f.year).append(" (0001-9999)");
        case Field::Month: return say("month", f.month);
        case Field::Day: return say("day", f.day).append(" for ").append(text.substr(0, 7));
        case Field::Hour: return say("hour", f.hour);
        case Field::Minute: return say("minute", f.minute);
        case Field::Second: return say("second", f.second);
        case Field::None: break;
    }
    return {};
}

std::string layout_error(std::string_view text) {
    return std::string(expected_layout).append(", got ").append(quote_for_log(text, max_echoed_chars));
}

void write_2(char* p, unsigned v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
}

// Writes YYYY-MM-DD and returns the end. Years outside 0000-9999 (only reachable from
// out-of-range epoch values) are written in full, sign included, rather than wrapped.
char* write_date(char* p, const CivilDate& date) {
    if (date.year >= 0 && date.year <= 9999) {
        const auto y = static_cast<unsigned>(date.year);
        write_2(p, y / 100);
        write_2(p + 2, y % 100);
        p += 4;
    } else {
        p = std::to_chars(p, p + 21, date.year).ptr;
    }
    *p++ = '-';
    write_2(p, date.month);
    p[2] = '-';
    write_2(p + 3, date.day);
    return p + 5;
}

struct Split {
    CivilDate date;
    std::int64_t ms_of_day;  // 0 .. ms_per_day - 1, also for times before 1970
};

Split split(std::int64_t ms_since_epoch) {
    const std::int64_t rest = ms_since_epoch % ms_per_day;  // not ms - days * ms_per_day: overflows
    return {civil_from_days(floor_div(ms_since_epoch, ms_per_day)),
            rest < 0 ? rest + ms_per_day : rest};
}

}  // namespace

bool parse_timestamp(std::string_view text, std::int64_t& ms_since_epoch, std::string* why) {
    std::string_view body = text;
    if (!body.empty() && body.back() == 'Z') body.remove_suffix(1);
    Fields f;
    if (!scan(body, f)) {
        if (why) *why = layout_error(text);
        return false;
    }
    if (const Field bad = first_out_of_range(f); bad != Field::None) {
        if (why) *why = describe(bad, f, text);
        return false;
    }
    const std::int64_t days = days_from_civil(f.year, f.month, f.day);
    const std::int64_t seconds = (f.hour * 60 + f.minute) * 60 + f.second;
    ms_since_epoch = days * ms_per_day + seconds * 1000 + f.millis;
    return true;
}

std::string format_timestamp(std::int64_t ms_since_epoch) {
    const Split s = split(ms_since_epoch);
    std::array<char, 48> buf{};
    char* p = write_date(buf.data(), s.date);
    const auto ms = static_cast<unsigned>(s.ms_of_day);
    const unsigned seconds = ms / 1000;
    *p = ' ';
    write_2(p + 1, seconds / 3600);
    p[3] = ':';
    write_2(p + 4, seconds / 60 % 60);
    p[6] = ':';
    write_2(p + 7, seconds % 60);
    p[9] = '.';
    p[10] = static_cast<char>('0' + ms % 1000 / 100);
    write_2(p + 11, ms % 100);
    return {buf.data(), p + 13};
}

void derive_date_hour(std::int64_t ms_since_epoch, std::string& date, std::int32_t& hour) {
    const Split s = split(ms_since_epoch);
    std::array<char, 32> buf{};
    date.assign(buf.data(), write_date(buf.data(), s.date));
    hour = static_cast<std::int32_t>(s.ms_of_day / 3'600'000);
}

}  // namespace playstream::events
