// Ranged numeric options: every count, duration and rate is checked at the edge.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/ranged.hpp"

namespace playstream::cli {
namespace {

struct IntegerCase {
    std::string text;
    std::int64_t min;
    std::uint64_t max;
    const char* canonical;  // nullptr: refused
};

TEST(CliRanged, Integers) {
    const std::vector<IntegerCase> cases{
        {"0", 0, 10, "0"},
        {"10", 0, 10, "10"},
        {"010", 0, 100, "10"},  // decimal, not octal
        {"+7", 0, 10, "7"},
        {"-0", 0, 10, "0"},
        {"-1", 0, 10, nullptr},  // would wrap to 2^64-1 through strtoull
        {"11", 0, 10, nullptr},
        {"0", 1, 10, nullptr},
        {"99999999999999999999", 0, UINT64_MAX, nullptr},  // beyond 2^64
        {"18446744073709551615", 0, UINT64_MAX, "18446744073709551615"},
        {"-5", -10, 10, "-5"},
        {"-11", -10, 10, nullptr},
        {"-9223372036854775808", INT64_MIN, 0, "-9223372036854775808"},
        {"1e3", 0, 10000, nullptr},
        {"0x10", 0, 100, nullptr},
        {"3x", 0, 100, nullptr},
        {"", 0, 100, nullptr},
        {" 5", 0, 100, nullptr},
        {"1.5", 0, 100, nullptr},
    };
    for (const auto& c : cases) {
        std::string canonical;
        std::string why = check_integer(c.text, c.min, c.max, canonical);
        if (c.canonical != nullptr) {
            EXPECT_EQ(why, "") << c.text;
            EXPECT_EQ(canonical, c.canonical) << c.text;
        } else {
            EXPECT_NE(why, "") << c.text;
            EXPECT_NE(why.find(std::to_string(c.max)), std::string::npos) << why;  // states the range
        }
    }
}

TEST(CliRanged, MessagesStayShort) {
    std::string huge(300, '9');
    std::string canonical;
    std::string why = check_integer(huge, 0, 100, canonical);
    EXPECT_LT(why.size(), 120u) << why;
    EXPECT_NE(why.find("300 characters"), std::string::npos) << why;
    double value = 0;
    why = parse_number("1" + std::string(300, '0'), {.min = 0.001, .max = 1e7, .unit = "seconds"}, value);
    EXPECT_LT(why.size(), 140u) << why;
    EXPECT_NE(why.find("10000000"), std::string::npos) << why;
}

TEST(CliRanged, Numbers) {
    const NumberRange rate{.min = 0.001, .max = 1e7, .zero_means = "as fast as possible", .unit = "events per second"};
    double v = -1;
    EXPECT_EQ(parse_number("0", rate, v), "");
    EXPECT_EQ(v, 0);
    EXPECT_EQ(parse_number("2.5", rate, v), "");
    EXPECT_EQ(v, 2.5);
    for (const char* bad : {"nan", "NaN", "inf", "-inf", "1e-300", "-1", "1e8", "", "5/s", "0x10"}) {
        EXPECT_NE(parse_number(bad, rate, v), "") << bad;
    }
    const NumberRange no_zero{.min = 1, .max = 10};
    EXPECT_NE(parse_number("0", no_zero, v), "");
}

// Parses `args` into a command with one option declared by `declare`.
template <class Declare>
void parse(Declare declare, std::vector<std::string> args) {
    CLI::App app{"test"};
    declare(app);
    args.insert(args.begin(), "test");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    app.parse(static_cast<int>(argv.size()), argv.data());
}

TEST(CliRanged, DurationsBecomeChronoWithoutOverflow) {
    using std::chrono::milliseconds;
    milliseconds idle{0};
    const auto declare = [&](CLI::App& app) {
        add_duration(app, "--idle", idle, Unit::Seconds,
                     {.min = 0.1, .max = 31536000, .zero_means = "never", .unit = "seconds"}, "");
    };
    parse(declare, {"--idle", "2.5"});
    EXPECT_EQ(idle, milliseconds(2500));
    parse(declare, {"--idle", "0"});
    EXPECT_EQ(idle, milliseconds(0));
    EXPECT_THROW(parse(declare, {"--idle", "1e13"}), CLI::ValidationError);
    EXPECT_THROW(parse(declare, {"--idle", "0.01"}), CLI::ValidationError);
    milliseconds flush{250};
    const auto declare_ms = [&](CLI::App& app) {
        add_duration(app, "--flush", flush, Unit::Milliseconds, {.min = 1, .max = 3600000, .unit = "ms"}, "");
    };
    EXPECT_THROW(parse(declare_ms, {"--flush", "9223372036854775807"}), CLI::ValidationError);
    EXPECT_THROW(parse(declare_ms, {"--flush", "0"}), CLI::ValidationError);
    parse(declare_ms, {"--flush", "20"});
    EXPECT_EQ(flush, milliseconds(20));
}

TEST(CliRanged, IntegerOptionsIntoTheirTypes) {
    std::uint64_t count = 0;
    std::optional<std::int32_t> hour;
    const auto declare = [&](CLI::App& app) {
        add_integer(app, "--count", count, 0ULL, 1ULL << 32, "");
        add_integer(app, "--hour", hour, 0, 23, "");
    };
    parse(declare, {"--count", "010", "--hour", "23"});
    EXPECT_EQ(count, 10u);
    EXPECT_EQ(hour, 23);
    EXPECT_THROW(parse(declare, {"--count", "-1"}), CLI::ValidationError);
    EXPECT_THROW(parse(declare, {"--count", "4294967297"}), CLI::ValidationError);
    EXPECT_THROW(parse(declare, {"--hour", "24"}), CLI::ValidationError);
    try {
        parse(declare, {"--count", "-1"});
    } catch (const CLI::ValidationError& e) {
        EXPECT_EQ(std::string(e.what()), "--count: expected a whole number from 0 to 4294967296, got '-1'");
    }
}

}  // namespace
}  // namespace playstream::cli
