#include "util/escape.hpp"

#include <gtest/gtest.h>

#include <string>

namespace playstream {
namespace {

TEST(EscapeForLog, KeepsPrintableTextAndUtf8) {
    EXPECT_EQ(escape_for_log("Ada Lovelace"), "Ada Lovelace");
    EXPECT_EQ(escape_for_log("Zoë 🎧 日本"), "Zoë 🎧 日本");
    EXPECT_EQ(quote_for_log(""), "\"\"");
}

TEST(EscapeForLog, EscapesLineBreaksControlsQuotesAndBackslashes) {
    EXPECT_EQ(escape_for_log("a\nb\tc\rd"), R"(a\nb\tc\rd)");
    EXPECT_EQ(escape_for_log(std::string("nul\0esc\x1b" "del\x7f" "bel\x07", 16)),
              R"(nul\x00esc\x1bdel\x7fbel\x07)");
    EXPECT_EQ(quote_for_log(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
    // A backslash is escaped, so a literal "\n" in the text cannot pass for a newline.
    EXPECT_EQ(escape_for_log(R"(\n)"), R"(\\n)");
}

TEST(EscapeForLog, EscapesC1ControlsAndEveryByteThatIsNotUtf8) {
    EXPECT_EQ(escape_for_log("\xc2\x9b" "31m"), R"(\xc2\x9b31m)");  // U+009B, a CSI
    EXPECT_EQ(escape_for_log("\xc2\xa0"), "\xc2\xa0");                // U+00A0 is printable
    EXPECT_EQ(escape_for_log("\xff\xfe"), R"(\xff\xfe)");
    EXPECT_EQ(escape_for_log("\xc0\xaf"), R"(\xc0\xaf)");              // overlong '/'
    EXPECT_EQ(escape_for_log("\xed\xa0\x80"), R"(\xed\xa0\x80)");      // a surrogate
    EXPECT_EQ(escape_for_log("\xf4\x90\x80\x80"), R"(\xf4\x90\x80\x80)");  // past U+10FFFF
    EXPECT_EQ(escape_for_log("ab\xe2\x82"), R"(ab\xe2\x82)");          // truncated €
}

TEST(EscapeForLog, CapsTheTextAndSaysHowMuchWasCut) {
    const std::string big(4 << 20, 'x');
    const std::string quoted = quote_for_log(big);
    EXPECT_EQ(quoted, "\"" + std::string(200, 'x') + "\" ... (4194104 more bytes)");
    EXPECT_EQ(escape_for_log("abcdef", 4), "abcd ... (2 more bytes)");
    EXPECT_EQ(escape_for_log("abcd", 4), "abcd");
    // The cut falls before an escape or a character that would not fit whole.
    EXPECT_EQ(escape_for_log("abc\n", 4), "abc ... (1 more bytes)");
    EXPECT_EQ(escape_for_log("abc€", 5), "abc ... (3 more bytes)");
}

TEST(EscapeForTerminal, EscapesControlsButKeepsQuotesAndLength) {
    EXPECT_EQ(escape_for_terminal("\x1b]0;pwned\x07 \"Live\" \\"), R"(\x1b]0;pwned\x07 "Live" \\)");
    const std::string big(1000, 'y');
    EXPECT_EQ(escape_for_terminal(big), big);
}

}  // namespace
}  // namespace playstream
