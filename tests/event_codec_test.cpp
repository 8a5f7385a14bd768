#include "events/event_codec.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "events/timestamp.hpp"

namespace playstream::events {
namespace {

using model::ListenEvent;
using model::RejectReason;

constexpr std::int64_t classroom_time = 1709435700000;  // 2024-03-03 03:15 UTC
constexpr std::int64_t our_time = 1709460942123;        // 2024-03-03 10:15:42.123 UTC
constexpr std::string_view our_json =
    R"({"id":123,"name":"Ada Lovelace","song":"Song","song_id":456,)"
    R"("time":"2024-03-03 10:15:42.123"})";

ListenEvent make_event(std::int64_t id, std::string name, std::string song,
                       std::optional<std::int64_t> song_id, std::int64_t time_ms) {
    ListenEvent e;
    e.id = id;
    e.name = std::move(name);
    e.song = std::move(song);
    e.song_id = song_id;
    e.time_ms = time_ms;
    return e;
}

void expect_same(const ListenEvent& got, const ListenEvent& want) {
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.song, want.song);
    EXPECT_EQ(got.song_id, want.song_id);
    EXPECT_EQ(got.time_ms, want.time_ms);
}

class EventCodec : public ::testing::Test {
protected:
    ListenEvent decoded(std::string_view payload) {
        ListenEvent event;
        DecodeError error;
        EXPECT_TRUE(decoder.decode(payload, event, error)) << payload << ": " << error.detail;
        return event;
    }

    // Decodes `payload`, expects it rejected for `reason` and returns the detail.
    std::string rejected(std::string_view payload, RejectReason reason) {
        ListenEvent event;
        DecodeError error;
        EXPECT_FALSE(decoder.decode(payload, event, error)) << payload;
        EXPECT_EQ(model::to_string(error.reason), model::to_string(reason))
            << payload << ": " << error.detail;
        return error.detail;
    }

    EventDecoder decoder;
};

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// A valid message in our format with the value of `field` replaced by `raw` (no quoting).
std::string with_field(std::string_view field, std::string_view raw) {
    std::vector<std::pair<std::string, std::string>> fields{{"id", "7"},
                                                            {"name", "\"Ada\""},
                                                            {"song", "\"Song\""},
                                                            {"song_id", "12"},
                                                            {"time", "\"2024-03-03 10:15\""}};
    std::string json = "{";
    for (const auto& [key, value] : fields) {
        json.append(json.size() > 1 ? "," : "").append("\"").append(key).append("\":");
        json.append(key == field ? raw : value);
    }
    return json + "}";
}

std::string without_field(std::string_view field) {
    std::string json = "{";
    for (std::string_view key : {"id", "name", "song", "time"}) {
        if (key == field) continue;
        json.append(json.size() > 1 ? "," : "").append("\"").append(key).append("\":");
        json.append(key == "id" ? "7" : key == "time" ? "\"2024-03-03 10:15\"" : "\"x\"");
    }
    return json + "}";
}

TEST_F(EventCodec, DecodesTheClassroomFormat) {
    // Python's json.dumps, as the classroom producer sent it.
    const ListenEvent e = decoded(
        R"({"id": 99999, "name": "Ada Lovelace", "song": "Blinding Lights", )"
        R"("time": "2024-03-03 03:15"})");
    expect_same(e, make_event(99999, "Ada Lovelace", "Blinding Lights", std::nullopt,
                              classroom_time));
}

TEST_F(EventCodec, DecodesOurFormat) {
    const ListenEvent e = decoded(our_json);
    expect_same(e, make_event(123, "Ada Lovelace", "Song", 456, our_time));
}

TEST_F(EventCodec, EncodesTheDocumentedFormat) {
    std::string json = "stale";
    encode_event(make_event(123, "Ada Lovelace", "Song", 456, our_time), json);
    EXPECT_EQ(json, our_json);
    encode_event(make_event(0, "A", "S", std::nullopt, 0), json);
    EXPECT_EQ(json, R"({"id":0,"name":"A","song":"S","time":"1970-01-01 00:00:00.000"})");
    encode_event(make_event(1, "A", "S", 0, 0), json);
    EXPECT_TRUE(contains(json, R"("song_id":0,)")) << json;
}

TEST_F(EventCodec, EscapesQuotesBackslashesAndControlCharactersButNotUtf8) {
    std::string json;
    const std::string name = std::string("q\"b\\n\x01") + '\0' + "\x1f\x7f" + "é😀";
    encode_event(make_event(1, name, "s", std::nullopt, 0), json);
    const std::string expected_name =
        R"("q\"b\\n\u0001\u0000\u001f)" + std::string("\x7f") + "é😀\"";
    EXPECT_TRUE(contains(json, "\"name\":" + expected_name + ",")) << json;
    encode_event(make_event(1, "a\tb\nc\rd", "s", std::nullopt, 0), json);
    for (char c : json) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << json;
}

TEST_F(EventCodec, RoundTripsAwkwardNames) {
    const std::vector<std::string> names{
        "plain",
        "with \"quotes\"",
        "back\\slash\\",
        "\\\"",
        "ends with backslash\\",
        "Zoë Ångström",
        "日本語の名前",
        "emoji 🎧🎶",
        std::string("nul\0inside", 10),
        "tab\tnew\nline\rcr\b\f",
        "\x01\x02\x1e\x1f",
        std::string(5000, 'x'),
    };
    std::string json;
    std::int64_t id = 0;
    for (const auto& name : names) {
        ++id;
        const ListenEvent original = make_event(id, name, "song " + name, id * 10, our_time + id);
        encode_event(original, json);
        expect_same(decoded(json), original);
    }
}

TEST_F(EventCodec, RoundTripsIdsAndTimes) {
    std::string json;
    for (const std::int64_t id : {std::int64_t{0}, std::int64_t{99999}, INT64_MAX}) {
        for (const std::int64_t ms : {std::int64_t{-62135596800000}, std::int64_t{-1},
                                      std::int64_t{0}, our_time, std::int64_t{253402300799999}}) {
            const ListenEvent original = make_event(id, "n", "s", id, ms);
            encode_event(original, json);
            expect_same(decoded(json), original);
        }
    }
}

TEST_F(EventCodec, DecodesUnicodeEscapes) {
    const ListenEvent e = decoded(
        R"({"\u0069d":5,"name":"Zo\u00eb \ud83c\udfa7","song":"\"\\\/\n",)"
        R"("time":"2024-03-03 03:15"})");
    EXPECT_EQ(e.id, 5);
    EXPECT_EQ(e.name, "Zoë 🎧");
    EXPECT_EQ(e.song, "\"\\/\n");
}

// Keys are read as written unless they hold an escape: an escaped quote does not end the key
// early, and what a key may not hold raw is refused as it is in a value.
TEST_F(EventCodec, ReadsKeysWholeAndChecksThemAsStrings) {
    const ListenEvent e = decoded(
        R"({"na\"me":"x","id\\":1,"id":5,"name":"n","song":"s","time":"2024-03-03 03:15"})");
    EXPECT_EQ(e.id, 5);
    EXPECT_EQ(e.name, "n");
    rejected("{\"i\x01" "d\":5,\"name\":\"n\",\"song\":\"s\",\"time\":\"2024-03-03 03:15\"}",
             RejectReason::NotJson);
    rejected("{\"i\xff" "d\":5,\"name\":\"n\",\"song\":\"s\",\"time\":\"2024-03-03 03:15\"}",
             RejectReason::NotJson);
    rejected(R"({"id\x":5,"name":"n","song":"s","time":"2024-03-03 03:15"})", RejectReason::NotJson);
}

TEST_F(EventCodec, IgnoresUnknownFields) {
    const ListenEvent e = decoded(
        R"({"v":2,"id":1,"extra":{"a":[1,{"b":null}],"c":"}"},"name":"n","song":"s",)"
        R"("list":[true,false,null,1.5e3],"time":"2024-03-03 03:15","z":"x"})");
    expect_same(e, make_event(1, "n", "s", std::nullopt, classroom_time));
}

TEST_F(EventCodec, AcceptsWhitespaceAroundTheObject) {
    EXPECT_EQ(decoded(" \n\t" + with_field("id", "3") + "\r\n ").id, 3);
}

TEST_F(EventCodec, LastDuplicateKeyWins) {
    const ListenEvent e = decoded(
        R"({"id":1,"name":"first","song":"s","time":"2024-03-03 03:15","id":2,"name":"second"})");
    EXPECT_EQ(e.id, 2);
    EXPECT_EQ(e.name, "second");
    // Every occurrence is still checked.
    rejected(R"({"id":-1,"id":2,"name":"n","song":"s","time":"2024-03-03 03:15"})",
             RejectReason::WrongType);
}

TEST_F(EventCodec, SongIdNullMeansAbsentAndDoesNotLeakFromThePreviousMessage) {
    ListenEvent event;
    DecodeError error;
    ASSERT_TRUE(decoder.decode(with_field("song_id", "44"), event, error)) << error.detail;
    EXPECT_EQ(event.song_id, 44);
    ASSERT_TRUE(decoder.decode(with_field("song_id", "null"), event, error)) << error.detail;
    EXPECT_EQ(event.song_id, std::nullopt);
    ASSERT_TRUE(decoder.decode(with_field("song_id", "45"), event, error)) << error.detail;
    ASSERT_TRUE(decoder.decode(without_field("none"), event, error)) << error.detail;
    EXPECT_EQ(event.song_id, std::nullopt);
}

TEST_F(EventCodec, EmptySongIsAcceptedForTheCatalogueToJudge) {
    EXPECT_EQ(decoded(with_field("song", "\"\"")).song, "");
}

TEST_F(EventCodec, RejectsWhatIsNotAJsonObject) {
    rejected("   ", RejectReason::NotJson);
    rejected("not json", RejectReason::NotJson);
    rejected("{", RejectReason::NotJson);
    rejected("{\"id\" 1}", RejectReason::NotJson);
    rejected("{\"id\":1,}", RejectReason::NotJson);
    rejected("{'id':1}", RejectReason::NotJson);
    rejected("{\"id\":01,\"name\":\"n\",\"song\":\"s\",\"time\":\"2024-03-03 03:15\"}",
             RejectReason::NotJson);
    rejected(with_field("id", "tru"), RejectReason::NotJson);
    rejected(with_field("song_id", "nul"), RejectReason::NotJson);
    rejected(with_field("name", R"("bad \x escape")"), RejectReason::NotJson);
    EXPECT_EQ(rejected(R"([{"id":1}])", RejectReason::NotJson),
              "expected a JSON object, found array");
    EXPECT_EQ(rejected("42", RejectReason::NotJson), "expected a JSON object, found number");
    EXPECT_EQ(rejected("\"text\"", RejectReason::NotJson),
              "expected a JSON object, found string");
    const std::string bad_utf8 = with_field("name", "\"\xff\"");
    EXPECT_TRUE(contains(rejected(bad_utf8, RejectReason::NotJson), "UTF-8"));
}

TEST_F(EventCodec, RejectsEveryTruncationOfAValidMessage) {
    const std::string full = with_field("none", "");
    for (std::size_t n = 1; n < full.size(); ++n) {  // n = 0: empty, a reason of its own
        SCOPED_TRACE(full.substr(0, n));
        rejected(std::string_view(full).substr(0, n), RejectReason::NotJson);
    }
}

TEST_F(EventCodec, RejectsTrailingContent) {
    const std::string valid = with_field("none", "");
    EXPECT_EQ(rejected(valid + "{}", RejectReason::NotJson),
              "trailing content after the JSON object at byte " + std::to_string(valid.size()));
    rejected(valid + " x", RejectReason::NotJson);
    rejected(valid + "]", RejectReason::NotJson);
    rejected(valid + "}", RejectReason::NotJson);
    rejected(valid + " 1", RejectReason::NotJson);
    rejected(valid + " " + valid, RejectReason::NotJson);
}

TEST_F(EventCodec, NamesEachMissingField) {
    for (const char* field : {"id", "name", "song", "time"}) {
        EXPECT_EQ(rejected(without_field(field), RejectReason::MissingField),
                  std::string("missing field '") + field + "'");
    }
    EXPECT_EQ(rejected("{}", RejectReason::MissingField),
              "missing fields 'id', 'name', 'song', 'time'");
    EXPECT_EQ(rejected(R"({"ID":1,"Name":"n","song":"s","time":"2024-03-03 03:15"})",
                       RejectReason::MissingField),
              "missing fields 'id', 'name'");
}

TEST_F(EventCodec, NamesTheFieldAndWhatWasFoundForEachWrongType) {
    const std::vector<std::pair<std::string, std::string>> wrong{
        {"\"7\"", "string"}, {"true", "boolean"}, {"null", "null"},
        {"[7]", "array"},    {"{}", "object"},    {"7", "number"}};
    const std::vector<std::pair<std::string, std::string>> fields{
        {"id", "expected a non-negative integer"},
        {"song_id", "expected a non-negative integer"},
        {"name", "expected a string"},
        {"song", "expected a string"},
        {"time", "expected a string"}};
    for (const auto& [field, expected] : fields) {
        for (const auto& [raw, found] : wrong) {
            const bool integer_field = contains(expected, "integer");
            if ((integer_field && found == "number") || (!integer_field && found == "string") ||
                (field == "song_id" && found == "null")) {
                continue;  // the right type, or song_id's "absent"
            }
            EXPECT_EQ(rejected(with_field(field, raw), RejectReason::WrongType),
                      "field '" + field + "': " + expected + ", found " + found);
        }
    }
}

TEST_F(EventCodec, RejectsIntegersThatAreNegativeFractionalOrTooLarge) {
    const std::string prefix = "field 'id': expected a non-negative integer, found ";
    EXPECT_EQ(rejected(with_field("id", "-1"), RejectReason::WrongType), prefix + "-1");
    EXPECT_EQ(rejected(with_field("id", "1.5"), RejectReason::WrongType), prefix + "1.5");
    EXPECT_EQ(rejected(with_field("id", "1.0"), RejectReason::WrongType), prefix + "1.0");
    EXPECT_EQ(rejected(with_field("id", "1e3 "), RejectReason::WrongType), prefix + "1e3");
    EXPECT_EQ(rejected(with_field("id", "9223372036854775808"), RejectReason::WrongType),
              prefix + "9223372036854775808");
    EXPECT_EQ(rejected(with_field("song_id", "-12"), RejectReason::WrongType),
              "field 'song_id': expected a non-negative integer, found -12");
    EXPECT_EQ(decoded(with_field("id", "9223372036854775807")).id, INT64_MAX);
}

TEST_F(EventCodec, RejectsAnEmptyName) {
    EXPECT_EQ(rejected(with_field("name", "\"\""), RejectReason::WrongType),
              "field 'name': expected a non-empty string, found \"\"");
}

TEST_F(EventCodec, RejectsABadTimeWithTheParsersReason) {
    EXPECT_EQ(rejected(with_field("time", "\"2023-02-29 10:00\""), RejectReason::BadTime),
              "field 'time': day 29 out of range for 2023-02");
    EXPECT_EQ(rejected(with_field("time", "\"2024-03-03 3:15 PM\""), RejectReason::BadTime),
              "field 'time': expected 'YYYY-MM-DD hh:mm[:ss[.fff]]', got \"2024-03-03 3:15 PM\"");
    EXPECT_EQ(rejected(with_field("time", "\"\""), RejectReason::BadTime),
              "field 'time': expected 'YYYY-MM-DD hh:mm[:ss[.fff]]', got \"\"");
}

// A Kafka NULL value reaches the decoder as a null pointer of length 0: memcpy from it was
// undefined behaviour (UBSan stopped `stream`). NULL and empty are rejects of their own.
TEST_F(EventCodec, NullAndEmptyValuesAreRejectsOfTheirOwn) {
    EXPECT_EQ(rejected(std::string_view(), RejectReason::NullValue),
              "the message has a NULL value (a tombstone)");
    EXPECT_EQ(rejected(std::string_view("", 0), RejectReason::Empty), "the message is empty");
    // The decoder is still sound afterwards.
    EXPECT_EQ(decoded(our_json).id, 123);
}

// Pieces of payload in a detail can neither break the log line nor flood it.
TEST_F(EventCodec, DetailsEscapeAndCapWhatTheyQuoteFromThePayload) {
    const std::string time_detail =
        rejected(with_field("time", "\"2024\\nstream: done: \\u001b[2J\""), RejectReason::BadTime);
    EXPECT_FALSE(contains(time_detail, "\n")) << time_detail;
    EXPECT_FALSE(contains(time_detail, "\x1b")) << time_detail;
    EXPECT_TRUE(contains(time_detail, R"(got "2024\nstream: done: \x1b[2J")")) << time_detail;

    const std::string long_time = "\"2024" + std::string(4 << 20, '9') + "\"";
    const std::string capped = rejected(with_field("time", long_time), RejectReason::BadTime);
    EXPECT_LT(capped.size(), 200u) << capped;
    EXPECT_TRUE(contains(capped, "... (4194244 more bytes)")) << capped;

    const std::string huge_number = "0." + std::string(1 << 20, '7');
    const std::string number_detail = rejected(with_field("id", huge_number), RejectReason::WrongType);
    EXPECT_LT(number_detail.size(), 200u);
    EXPECT_TRUE(contains(number_detail, "more bytes)")) << number_detail;

    const std::string key_detail =
        rejected(R"({"id":1,"a\nstream: done:":NaN,"name":"n","song":"s","time":"2024-03-03 03:15"})",
                 RejectReason::NotJson);
    EXPECT_TRUE(contains(key_detail, R"(field "a\nstream: done:": )")) << key_detail;
}

// A valid message with one more field, "x", of value `raw`.
std::string with_unknown(std::string_view raw) {
    std::string json = with_field("id", "7");
    json.pop_back();
    return json.append(",\"x\":").append(raw).append("}");
}

// On-Demand skipped unknown values unread, so a message valid in its known fields and broken
// elsewhere was stored. The whole payload must be JSON (RFC 8259).
TEST_F(EventCodec, RejectsInvalidJsonInUnknownFields) {
    const std::vector<std::string_view> cases{
             "{]", "[1,,2]", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{1:2}", "{\"a\"}", "[1 2]",
             "NaN", "-NaN", "Infinity", "-Infinity", "'single'", "{'a':1}", "[\"a\",'b']", "undefined",
             "01", "1.", ".5", "+1", "1e", "1e+", "-", "0x10", "--1", "1.5.2", "tru", "nul", "falsey",
             "[true,fals]", "{\"a\":nulll}", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud800\"",
             "\"\\udc00\\ud800\"", "\"tab\there\"", "\"nl\nhere\"", "\"\x1f\"",
             "\"\xff\"", "\"\xc0\xaf\"", "[[[]]", "[{}}", "{\"a\":[}]}", "{\"\\q\":1}",
             std::string_view("\"nul\0here\"", 10)};
    for (const std::string_view raw : cases) {
        SCOPED_TRACE(raw);
        rejected(with_unknown(raw), RejectReason::NotJson);
        // At any depth, and inside an array as well as an object.
        rejected(with_unknown(std::string("{\"a\":[{\"b\":") + std::string(raw) + "}]}"),
                 RejectReason::NotJson);
        rejected(with_unknown(std::string("[0,") + std::string(raw) + "]"), RejectReason::NotJson);
    }
    // 1,000 levels in a field: refused.
    rejected(with_unknown(std::string(1100, '[') + std::string(1100, ']')), RejectReason::NotJson);
    rejected(with_unknown(std::string(1000, '[') + std::string(1000, ']')), RejectReason::NotJson);
}

TEST_F(EventCodec, AcceptsValidJsonOfEveryKindInUnknownFields) {
    for (const std::string_view raw : {
             "{}", "[]", "[[]]", "{\"\":{}}", "0", "-0", "-0.0e-0", "1E+2", "123456789012345678901234567890",
             "1e400", "-1e-400", "3.14159", "true", "false", "null", "\"\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
             "\"\\u00e9\\ud83c\\udfa7\"", "\"Zoë 🎧\"", "\"\x7f\"", "[1, {\"a\": [true, null, \"s\"]}, -2.5e3]",
             " { \"k\" : [ 1 , 2 ] } ", "{\"a\":1,\"a\":2}"}) {
        SCOPED_TRACE(raw);
        EXPECT_EQ(decoded(with_unknown(raw)).id, 7);
    }
    // 999 levels in a field: the deepest accepted.
    EXPECT_EQ(decoded(with_unknown(std::string(999, '[') + std::string(999, ']'))).id, 7);
}

// One decoder across messages of very different sizes, good and bad interleaved: every good
// message comes back exactly, so nothing from a longer previous message leaks into a shorter one.
TEST_F(EventCodec, DecoderIsReusableAcrossManyMessagesOfVariedSizes) {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::size_t> length(1, 3000);
    std::uniform_int_distribution<int> letter('a', 'z');
    std::string json;
    ListenEvent event;
    DecodeError error;
    for (int i = 0; i < 3000; ++i) {
        std::string name(i == 1000 ? 1'000'000 : length(rng), 'x');
        for (char& c : name) c = static_cast<char>(letter(rng));
        const auto song_id = i % 3 == 0 ? std::nullopt : std::optional<std::int64_t>(i);
        const ListenEvent original = make_event(i, name, name.substr(0, 40), song_id, our_time + i);
        encode_event(original, json);
        ASSERT_TRUE(decoder.decode(json, event, error)) << i << ": " << error.detail;
        expect_same(event, original);
        if (i % 10 == 0) {
            json.resize(json.size() / 2);
            ASSERT_FALSE(decoder.decode(json, event, error)) << i;
            ASSERT_EQ(error.reason, RejectReason::NotJson) << error.detail;
        }
    }
}

// simdjson reads past the end of the payload, where the reused buffer holds older bytes: a
// message must get the same verdict whatever came before it. Found by fuzz/event_fuzzer (the
// input is in its corpus): here a '}' left at byte 11 turned "improper structure" into "ended early".
TEST_F(EventCodec, AnOlderLongerMessageDoesNotChangeTheVerdict) {
    const std::string_view payload("{\"a\":[1\0{]}", 11);
    const std::string first = rejected(payload, RejectReason::NotJson);
    rejected(std::string(payload) + "}}}}", RejectReason::NotJson);
    EXPECT_EQ(rejected(payload, RejectReason::NotJson), first);
}

}  // namespace
}  // namespace playstream::events
