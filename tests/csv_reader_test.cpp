#include "catalog/csv_reader.hpp"

#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "util/error.hpp"

namespace playstream::catalog {
namespace {

struct Record {
    std::size_t line;
    std::vector<std::string> fields;
    bool operator==(const Record&) const = default;
};

void PrintTo(const Record& record, std::ostream* out) {
    *out << "line " << record.line << ":";
    for (const auto& field : record.fields) *out << " [" << field << "]";
}

std::vector<Record> read_all(std::string_view text) {
    CsvReader reader(text, "t.csv");
    std::vector<Record> records;
    std::vector<std::string> fields;
    while (reader.next(fields)) records.push_back({reader.line(), fields});
    return records;
}

// The message of the playstream::Error that reading `text` throws, or "" if it reads fine.
std::string error_of(std::string_view text) {
    try {
        read_all(text);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(CsvReader, ReadsPlainRecordsWithLineNumbers) {
    EXPECT_EQ(read_all("a,b,c\n1,2,3\n"),
              (std::vector<Record>{{1, {"a", "b", "c"}}, {2, {"1", "2", "3"}}}));
}

TEST(CsvReader, FinalLineWithoutNewlineIsARecord) {
    EXPECT_EQ(read_all("a,b\n1,2"), (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}}));
}

TEST(CsvReader, TrailingLineEndsAreNotRecords) {
    EXPECT_EQ(read_all("a,b\n1,2\n\n"), (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}}));
    EXPECT_EQ(read_all("a,b\r\n1,2\r\n\r\n").size(), 2U);
    EXPECT_TRUE(read_all("").empty());
    EXPECT_TRUE(read_all("\n").empty());
}

TEST(CsvReader, EmptyLineInsideTheFileIsARecordOfOneEmptyField) {
    EXPECT_EQ(read_all("a\n\nb\n"), (std::vector<Record>{{1, {"a"}}, {2, {""}}, {3, {"b"}}}));
}

TEST(CsvReader, EmptyFieldsAreKept) {
    EXPECT_EQ(read_all(",a,,\n"), (std::vector<Record>{{1, {"", "a", "", ""}}}));
    EXPECT_EQ(read_all("\"\",x\n"), (std::vector<Record>{{1, {"", "x"}}}));
}

TEST(CsvReader, SkipsUtf8Bom) {
    EXPECT_EQ(read_all("\xEF\xBB\xBFname,x\n1,2\n"),
              (std::vector<Record>{{1, {"name", "x"}}, {2, {"1", "2"}}}));
}

TEST(CsvReader, AcceptsCrlf) {
    EXPECT_EQ(read_all("a,b\r\n1,2\r\n3,4"),
              (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}, {3, {"3", "4"}}}));
}

TEST(CsvReader, QuotedFieldsHoldCommasLineBreaksAndDoubledQuotes) {
    const auto records = read_all(
        "\"Hello, World\",\"say \"\"hi\"\"\"\n"
        "\"two\nlines\",\"crlf\r\ninside\"\n"  // one record on lines 2-4
        "after,x\n");
    EXPECT_EQ(records, (std::vector<Record>{{1, {"Hello, World", "say \"hi\""}},
                                            {2, {"two\nlines", "crlf\r\ninside"}},
                                            {5, {"after", "x"}}}));
}

TEST(CsvReader, QuotedFieldAtEndOfInput) {
    EXPECT_EQ(read_all("a,\"b\"\"\""), (std::vector<Record>{{1, {"a", "b\""}}}));
}

TEST(CsvReader, KeepsMultibyteUtf8) {
    EXPECT_EQ(read_all("Beyoncé,日本,🎵\n"), (std::vector<Record>{{1, {"Beyoncé", "日本", "🎵"}}}));
}

TEST(CsvReader, ReusesTheFieldsVectorAcrossRecordsOfDifferentWidth) {
    CsvReader reader("a,b,c\nd\ne,f\n", "t.csv");
    std::vector<std::string> fields{"stale", "stale", "stale", "stale"};
    ASSERT_TRUE(reader.next(fields));
    EXPECT_EQ(fields, (std::vector<std::string>{"a", "b", "c"}));
    ASSERT_TRUE(reader.next(fields));
    EXPECT_EQ(fields, (std::vector<std::string>{"d"}));
    ASSERT_TRUE(reader.next(fields));
    EXPECT_EQ(fields, (std::vector<std::string>{"e", "f"}));
    EXPECT_FALSE(reader.next(fields));
    EXPECT_FALSE(reader.next(fields));
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsAnError) {
    EXPECT_EQ(error_of("a,b\nsay \"hi\",c\n").rfind("t.csv:2: a quote inside an unquoted field", 0), 0U)
        << error_of("a,b\nsay \"hi\",c\n");
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
    EXPECT_EQ(error_of("a\n\"x\"y,z\n"), "t.csv:2: text after a closing quote");
    // The error names the line where the bad character is, after a multi-line field.
    EXPECT_EQ(error_of("\"one\ntwo\" ,z\n"), "t.csv:2: text after a closing quote");
}

TEST(CsvReader, UnterminatedQuoteIsAnErrorAtTheLineItOpens) {
    EXPECT_EQ(error_of("a,b\n1,\"open\n2,3\n4,5\n"), "t.csv:2: quoted field is never closed");
}

TEST(CsvReader, BareCarriageReturnIsAnError) {
    EXPECT_EQ(error_of("a,b\rc,d\n"), "t.csv:1: carriage return not followed by a line feed");
}

TEST(CsvReader, InvalidUtf8IsRejectedUpFrontWithItsLine) {
    // Latin-1 'é' (0xE9) on line 3; the reader must fail in its constructor, before any record.
    const std::string text = "name,artist\nok,fine\ncaf\xE9,x\n";
    try {
        CsvReader reader(text, "songs.csv");
        FAIL() << "no error for invalid UTF-8";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("songs.csv:3: not valid UTF-8 (byte 0xe9 at column 4)", 0), 0U)
            << e.what();
    }
}

TEST(CsvReader, InvalidUtf8FindsTheFirstBadSequence) {
    // Overlong encoding, a UTF-16 surrogate and a truncated sequence are all invalid UTF-8.
    EXPECT_NE(error_of("ok\n\xC0\xAF\n").find("t.csv:2: not valid UTF-8 (byte 0xc0 at column 1)"), std::string::npos);
    EXPECT_NE(error_of("é\nok\nx\xED\xA0\x80\n").find("t.csv:3: not valid UTF-8 (byte 0xed at column 2)"),
              std::string::npos);
    EXPECT_NE(error_of("a\nb\nc\n日\xE6\x97").find("t.csv:4: not valid UTF-8 (byte 0xe6 at column 4)"),
              std::string::npos);
}

TEST(CsvReader, InvalidUtf8InsideQuotedMultilineFieldCountsItsLines) {
    EXPECT_NE(error_of("\"a\nb\nc\xFF\"\n").find("t.csv:3: not valid UTF-8 (byte 0xff"), std::string::npos);
}

}  // namespace
}  // namespace playstream::catalog
