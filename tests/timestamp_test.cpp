#include "events/timestamp.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace playstream::events {
namespace {

constexpr std::int64_t ms_per_day = 86'400'000;

std::int64_t parsed(std::string_view text) {
    std::int64_t ms = 0;
    std::string why;
    EXPECT_TRUE(parse_timestamp(text, ms, &why)) << text << ": " << why;
    return ms;
}

// The reason parse_timestamp gives for rejecting `text`.
std::string rejection(std::string_view text) {
    std::int64_t ms = 0;
    std::string why;
    EXPECT_FALSE(parse_timestamp(text, ms, &why)) << text << " was accepted as " << ms;
    return why;
}

struct DateHour {
    std::string date;
    std::int32_t hour = -1;
};

DateHour date_hour(std::string_view text) {
    DateHour dh;
    derive_date_hour(parsed(text), dh.date, dh.hour);
    return dh;
}

// Reference values computed independently (Python datetime, UTC).
TEST(ParseTimestamp, AcceptsEachForm) {
    const std::int64_t base = 1709460942000;  // 2024-03-03 10:15:42 UTC
    const std::int64_t minute = 1709460900000;
    EXPECT_EQ(parsed("2024-03-03 10:15"), minute);
    EXPECT_EQ(parsed("2024-03-03 10:15:42"), base);
    EXPECT_EQ(parsed("2024-03-03 10:15:42.123"), base + 123);
    EXPECT_EQ(parsed("2024-03-03T10:15:42.123"), base + 123);
    EXPECT_EQ(parsed("2024-03-03T10:15"), minute);
    EXPECT_EQ(parsed("2024-03-03 10:15Z"), minute);
    EXPECT_EQ(parsed("2024-03-03T10:15:42Z"), base);
    EXPECT_EQ(parsed("2024-03-03T10:15:42.123Z"), base + 123);
}

TEST(ParseTimestamp, FractionOfOneToSixDigitsIsTruncatedToMilliseconds) {
    const std::int64_t base = 1709460942000;
    EXPECT_EQ(parsed("2024-03-03 10:15:42.5"), base + 500);
    EXPECT_EQ(parsed("2024-03-03 10:15:42.05"), base + 50);
    EXPECT_EQ(parsed("2024-03-03 10:15:42.007"), base + 7);
    EXPECT_EQ(parsed("2024-03-03 10:15:42.1239"), base + 123);
    EXPECT_EQ(parsed("2024-03-03 10:15:42.99999"), base + 999);
    EXPECT_EQ(parsed("2024-03-03 10:15:42.000999Z"), base);
}

TEST(ParseTimestamp, HandlesTimesBeforeTheEpochAndTheWholeYearRange) {
    EXPECT_EQ(parsed("1970-01-01 00:00"), 0);
    EXPECT_EQ(parsed("1969-12-31 23:59:59.999"), -1);
    EXPECT_EQ(parsed("1900-03-01 00:00"), -2203891200000);
    EXPECT_EQ(parsed("0001-01-01 00:00"), -62135596800000);
    EXPECT_EQ(parsed("9999-12-31 23:59:59.999"), 253402300799999);
}

TEST(ParseTimestamp, LeapDays) {
    EXPECT_EQ(parsed("2024-02-29 00:00"), parsed("2024-02-28 00:00") + ms_per_day);
    EXPECT_EQ(parsed("2000-02-29 12:00"), 951825600000);  // divisible by 400: leap
    EXPECT_EQ(parsed("2024-03-01 00:00"), parsed("2024-02-29 00:00") + ms_per_day);
    EXPECT_EQ(rejection("2023-02-29 10:00"), "day 29 out of range for 2023-02");
    EXPECT_EQ(rejection("1900-02-29 10:00"), "day 29 out of range for 1900-02");  // by 100: not
    EXPECT_EQ(rejection("2024-02-30 10:00"), "day 30 out of range for 2024-02");
}

TEST(ParseTimestamp, SaysWhichFieldIsOutOfRange) {
    EXPECT_EQ(rejection("2024-13-01 10:00"), "month 13 out of range");
    EXPECT_EQ(rejection("2024-00-01 10:00"), "month 0 out of range");
    EXPECT_EQ(rejection("2024-01-00 10:00"), "day 0 out of range for 2024-01");
    EXPECT_EQ(rejection("2024-01-32 10:00"), "day 32 out of range for 2024-01");
    EXPECT_EQ(rejection("2024-04-31 10:00"), "day 31 out of range for 2024-04");
    EXPECT_EQ(rejection("2024-01-01 24:00"), "hour 24 out of range");
    EXPECT_EQ(rejection("2024-01-01 23:60"), "minute 60 out of range");
    EXPECT_EQ(rejection("2024-01-01 23:59:60"), "second 60 out of range");
    EXPECT_EQ(rejection("0000-01-01 00:00"), "year 0 out of range (0001-9999)");
}

TEST(ParseTimestamp, RejectsOtherLayoutsAndQuotesThem) {
    const std::vector<std::string> bad{
        "",
        "Z",
        "2024-03-03",
        "2024-3-3 3:15",
        "2024/03/03 03:15",
        "03/03/2024 03:15",
        "2024-03-03 03:15:",
        "2024-03-03 03:15:4",
        "2024-03-03 03:15:42.",
        "2024-03-03 03:15:42.1234567",
        "2024-03-03 03:15:42,123",
        "2024-03-03 03:15:42.12a",
        "2024-03-03 03:15ZZ",
        "2024-03-03 03:15z",
        "2024-03-03t03:15",
        "2024-03-03 03:15 ",
        " 2024-03-03 03:15",
        "2024-03-03 03:15+01:00",
        "2024-03-03 03:15 PM",
        "+024-03-03 03:15",
        "2024-03-03  3:15",
        std::string("2024-03-03 03:1\0", 16),
    };
    for (const auto& text : bad) {
        if (text.find('\0') != std::string::npos) continue;  // escaped: below
        EXPECT_EQ(rejection(text), "expected 'YYYY-MM-DD hh:mm[:ss[.fff]]', got \"" + text + "\"");
    }
    EXPECT_EQ(rejection(std::string("2024-03-03 03:1\0", 16)),
              R"(expected 'YYYY-MM-DD hh:mm[:ss[.fff]]', got "2024-03-03 03:1\x00")");
}

TEST(ParseTimestamp, QuotesAtMostAShortPrefixOfALongInput) {
    const std::string long_text(10'000, '9');
    const std::string why = rejection(long_text);
    EXPECT_LT(why.size(), 200U);
    EXPECT_NE(why.find("\" ... (9936 more bytes)"), std::string::npos) << why;
}

TEST(ParseTimestamp, ReasonIsOptional) {
    std::int64_t ms = 7;
    EXPECT_FALSE(parse_timestamp("2024-13-01 10:00", ms));
    EXPECT_FALSE(parse_timestamp("garbage", ms, nullptr));
    EXPECT_TRUE(parse_timestamp("1970-01-01 00:00:01", ms));
    EXPECT_EQ(ms, 1000);
}

TEST(DeriveDateHour, Midnight) {
    const DateHour start = date_hour("2024-03-03 00:00");
    EXPECT_EQ(start.date, "2024-03-03");
    EXPECT_EQ(start.hour, 0);
    const DateHour last = date_hour("2024-03-03 23:59:59.999");
    EXPECT_EQ(last.date, "2024-03-03");
    EXPECT_EQ(last.hour, 23);
    std::string date;
    std::int32_t hour = -1;
    derive_date_hour(parsed("2024-03-03 23:59:59.999") + 1, date, hour);
    EXPECT_EQ(date, "2024-03-04");
    EXPECT_EQ(hour, 0);
}

TEST(DeriveDateHour, NoonIsTwelve) {
    EXPECT_EQ(date_hour("2024-03-03 12:00").hour, 12);
    EXPECT_EQ(date_hour("2024-03-03 11:59:59.999").hour, 11);
    EXPECT_EQ(date_hour("2024-03-03 13:00").hour, 13);
}

// The classroom producer formatted with %I (12-hour clock, no AM/PM), so "03:15" may have been
// 3 PM; nothing in the message says which. The hour is taken as written and never guessed.
TEST(DeriveDateHour, ClassroomTwelveHourClockIsTakenAsWritten) {
    const DateHour dh = date_hour("2024-03-03 03:15");
    EXPECT_EQ(dh.date, "2024-03-03");
    EXPECT_EQ(dh.hour, 3);
}

TEST(DeriveDateHour, BeforeTheEpochUsesFloorDivision) {
    std::string date;
    std::int32_t hour = -1;
    derive_date_hour(-1, date, hour);
    EXPECT_EQ(date, "1969-12-31");
    EXPECT_EQ(hour, 23);
    derive_date_hour(-ms_per_day, date, hour);
    EXPECT_EQ(date, "1969-12-31");
    EXPECT_EQ(hour, 0);
    derive_date_hour(-ms_per_day - 1, date, hour);
    EXPECT_EQ(date, "1969-12-30");
    EXPECT_EQ(hour, 23);
}

TEST(FormatTimestamp, WritesMillisecondsAndTwentyFourHourClock) {
    EXPECT_EQ(format_timestamp(0), "1970-01-01 00:00:00.000");
    EXPECT_EQ(format_timestamp(1709460942123), "2024-03-03 10:15:42.123");
    EXPECT_EQ(format_timestamp(1709460942007), "2024-03-03 10:15:42.007");
    EXPECT_EQ(format_timestamp(parsed("2024-03-03 15:15")), "2024-03-03 15:15:00.000");
    EXPECT_EQ(format_timestamp(-1), "1969-12-31 23:59:59.999");
    EXPECT_EQ(format_timestamp(-62135596800000), "0001-01-01 00:00:00.000");
    EXPECT_EQ(format_timestamp(253402300799999), "9999-12-31 23:59:59.999");
}

TEST(FormatTimestamp, YearsBeyondTheParsableRangeAreWrittenInFullAndRejectedByParse) {
    for (const std::int64_t ms : {std::numeric_limits<std::int64_t>::min(),
                                  std::numeric_limits<std::int64_t>::max(), -62135596800001,
                                  253402300800000}) {
        const std::string text = format_timestamp(ms);
        std::int64_t back = 0;
        EXPECT_FALSE(parse_timestamp(text, back)) << text;
    }
    EXPECT_EQ(format_timestamp(253402300800000), "10000-01-01 00:00:00.000");
}

// Every day of 0001-9999 against libstdc++'s calendar, an implementation independent of ours.
TEST(RoundTrip, EveryDayAgreesWithStdChrono) {
    using namespace std::chrono;
    const sys_days first = year{1} / January / 1;
    const sys_days last = year{9999} / December / 31;
    std::string date;
    std::int32_t hour = -1;
    int mismatches = 0;
    for (sys_days day = first; day <= last && mismatches < 5; day += days{1}) {
        const year_month_day ymd{day};
        char text[32];
        std::snprintf(text, sizeof text, "%04d-%02u-%02u 13:00", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
        const std::int64_t expected = day.time_since_epoch().count() * ms_per_day + 13 * 3'600'000;
        std::int64_t ms = 0;
        derive_date_hour(expected, date, hour);
        if (!parse_timestamp(text, ms) || ms != expected || date != std::string_view(text, 10) ||
            hour != 13) {
            ADD_FAILURE() << text << " parsed as " << ms << ", expected " << expected
                          << "; derived " << date << " hour " << hour;
            ++mismatches;
        }
    }
}

TEST(RoundTrip, FormatThenParseGivesTheSameInstant) {
    std::mt19937_64 rng(20240303);
    std::uniform_int_distribution<std::int64_t> any_ms(-62135596800000, 253402300799999);
    std::vector<std::int64_t> values{0, -1, 1, 951782400000, 951868799999, 1709460942123};
    for (int i = 0; i < 100'000; ++i) values.push_back(any_ms(rng));
    for (const std::int64_t ms : values) {
        const std::string text = format_timestamp(ms);
        std::int64_t back = 0;
        std::string why;
        ASSERT_TRUE(parse_timestamp(text, back, &why)) << text << ": " << why;
        ASSERT_EQ(back, ms) << text;
        ASSERT_EQ(format_timestamp(back), text);
    }
}

TEST(RoundTrip, AcrossYearBoundaries) {
    for (int y = 1969; y <= 2101; ++y) {
        char text[32];
        std::snprintf(text, sizeof text, "%04d-12-31 23:59:59.999", y);
        const std::int64_t ms = parsed(text);
        EXPECT_EQ(format_timestamp(ms), text);
        std::snprintf(text, sizeof text, "%04d-01-01 00:00:00.000", y + 1);
        EXPECT_EQ(format_timestamp(ms + 1), text);
    }
}

}  // namespace
}  // namespace playstream::events
