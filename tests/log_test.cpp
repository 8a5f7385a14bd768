// The log line renderer: text as people read it, JSON lines as log shippers parse them.
#include <chrono>
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "util/log.hpp"

namespace playstream::log {
namespace {

using namespace std::chrono;
// 2024-03-03T10:20:30.045Z
const system_clock::time_point when = system_clock::time_point(milliseconds(1709461230045));

TEST(Log, TextLooksAsBefore) {
    EXPECT_EQ(render(Format::Text, Level::Info, "produce", "300 events delivered", {{"sent", 300}}, when),
              "produce: 300 events delivered");
    EXPECT_EQ(render(Format::Text, Level::Warn, "playstream", "careful", {}, when), "playstream: warning: careful");
    EXPECT_EQ(render(Format::Text, Level::Error, "playstream", "no such file", {}, when),
              "playstream: error: no such file");
}

TEST(Log, JsonLineHasTimeLevelMessageAndFields) {
    std::string topic = "listens";
    EXPECT_EQ(render(Format::Json, Level::Info, "stream", "assigned",
                     {{"partitions", 3}, {"topic", topic}, {"offset", std::uint64_t{18446744073709551615ULL}},
                      {"lag", std::int64_t{-2}}, {"ratio", 0.5}, {"paused", false}},
                     when),
              R"({"ts":"2024-03-03T10:20:30.045Z","level":"info","component":"stream","msg":"assigned",)"
              R"("partitions":3,"topic":"listens","offset":18446744073709551615,"lag":-2,"ratio":0.5,"paused":false})");
    EXPECT_NE(render(Format::Json, Level::Warn, "c", "m", {}, when).find(R"("level":"warn")"), std::string::npos);
    EXPECT_NE(render(Format::Json, Level::Error, "c", "m", {}, when).find(R"("level":"error")"), std::string::npos);
}

TEST(Log, JsonEscapesPerRfc8259) {
    const std::string nasty = "a\"b\\c\nd\te\x01\x1b[2J\x7f" "\xc3\xa9";  // ends with é
    EXPECT_EQ(render(Format::Json, Level::Info, "c", nasty, {}, when),
              R"({"ts":"2024-03-03T10:20:30.045Z","level":"info","component":"c","msg":)"
              R"("a\"b\\c\nd\te\u0001\u001b[2J\u007f)" "\xc3\xa9" R"("})");
}

TEST(Log, InvalidUtf8BecomesReplacementCharacter) {
    // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate.
    const std::string bad = "x\x80y\xe2\x82z\xc0\xaf\xed\xa0\x80";
    const std::string line = render(Format::Json, Level::Info, "c", bad, {}, when);
    EXPECT_NE(line.find("\"msg\":\"x\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbdz"), std::string::npos) << line;
    for (char c : line) EXPECT_NE(c, '\x80');
}

TEST(Log, TextEscapesControlCharactersSoNoLineIsForged) {
    EXPECT_EQ(render(Format::Text, Level::Info, "stream", "rejected: x\nstream: done: forged\x1b", {}, when),
              "stream: rejected: x\\nstream: done: forged\\x1b");
}

TEST(Log, LongStringsAreCut) {
    const std::string huge(5000, 'a');
    const std::string line = render(Format::Json, Level::Info, "c", "m", {{"song", huge}}, when);
    EXPECT_LT(line.size(), 1200u);
    EXPECT_NE(line.find("(3976 more bytes)"), std::string::npos) << line.substr(line.size() - 60);
}

TEST(Log, NonFiniteNumbersAreNull) {
    const std::string line = render(Format::Json, Level::Info, "c", "m", {{"rate", std::nan("")}}, when);
    EXPECT_NE(line.find(R"("rate":null)"), std::string::npos) << line;
}

TEST(Log, ParseFormat) {
    Format f = Format::Text;
    EXPECT_TRUE(parse_format("json", f));
    EXPECT_EQ(f, Format::Json);
    EXPECT_FALSE(parse_format("xml", f));
}

}  // namespace
}  // namespace playstream::log
