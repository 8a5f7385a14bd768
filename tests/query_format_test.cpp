#include "query/format.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace playstream::query {
namespace {

// A stored name that retitles an xterm (OSC 0 ... BEL), clears the screen and breaks the line.
const std::string hostile = "Evil\x1b]0;owned\x07\x1b[2J\r\nName \"q\", \\";

model::Table one_name(const std::string& name) { return {{"name", "hour"}, {{name, std::int64_t{3}}}}; }

TEST(QueryFormat, TableShowsControlCharactersEscaped) {
    const std::string out = render(one_name(hostile), Format::Table);
    for (const char c : out) {
        const auto u = static_cast<unsigned char>(c);
        EXPECT_TRUE(u >= 0x20 || c == '\n') << "control byte " << int{u} << " in\n" << out;
    }
    EXPECT_NE(out.find(R"(Evil\x1b]0;owned\x07\x1b[2J\r\nName "q", \\)"), std::string::npos) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4);  // header, rule, one row, count
}

TEST(QueryFormat, CsvKeepsTextExactInsideRfc4180Quotes) {
    EXPECT_EQ(render(one_name(hostile), Format::Csv),
              "name,hour\n\"Evil\x1b]0;owned\x07\x1b[2J\r\nName \"\"q\"\", \\\",3\n");
    EXPECT_EQ(render(one_name("cr\ronly"), Format::Csv), "name,hour\n\"cr\ronly\",3\n");
    EXPECT_EQ(render(one_name("plain"), Format::Csv), "name,hour\nplain,3\n");
}

TEST(QueryFormat, JsonEscapesControlCharactersAndParsesBackExactly) {
    const std::string out = render(one_name(hostile), Format::Json);
    for (const char c : out) {
        const auto u = static_cast<unsigned char>(c);
        EXPECT_TRUE(u >= 0x20 || c == '\n') << "control byte " << int{u} << " in\n" << out;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(out).get(doc), simdjson::SUCCESS) << out;
    std::string_view name;
    ASSERT_EQ(doc.at(0)["name"].get(name), simdjson::SUCCESS);
    EXPECT_EQ(name, hostile);
}

}  // namespace
}  // namespace playstream::query
