#include <gtest/gtest.h>

#include "pipeline/enricher.hpp"
#include "test_support.hpp"

namespace playstream {
namespace {

using model::RejectReason;

class EnricherTest : public ::testing::Test {
protected:
    catalog::Catalog catalog = testing::small_catalog();
    pipeline::Enricher enricher{catalog};
    model::EnrichedRow row;
    events::DecodeError error;

    model::ListenEvent event(std::string song, std::optional<std::int64_t> song_id) {
        // 2024-03-03 22:15:30.250 UTC
        return {.id = 7, .name = "Ada", .song = std::move(song), .song_id = song_id,
                .time_ms = 1709504130250};
    }
};

TEST_F(EnricherTest, JoinsOnSongIdWhenPresentEvenForARepeatedName) {
    const model::Song& second = catalog.songs()[1];
    ASSERT_EQ(second.artists, "Second Artist");
    ASSERT_TRUE(enricher.enrich(event("Echo", second.id), row, error)) << error.detail;
    EXPECT_EQ(row.song, &second);
    EXPECT_EQ(row.date, "2024-03-03");
    EXPECT_EQ(row.hour, 22);  // 24-hour clock
    EXPECT_EQ(row.id, 7);
    EXPECT_EQ(row.name, "Ada");
    EXPECT_EQ(row.time_ms, 1709504130250);
}

TEST_F(EnricherTest, ClassroomMessageJoinsOnNameToTheFirstSongInFileOrder) {
    ASSERT_TRUE(enricher.enrich(event("Echo", std::nullopt), row, error)) << error.detail;
    EXPECT_EQ(row.song->artists, "First Artist");
    ASSERT_TRUE(enricher.enrich(event("Rain, Again", std::nullopt), row, error));
    EXPECT_EQ(row.song->artists, "Third Artist");
}

TEST_F(EnricherTest, UnknownSongNameIsRejected) {
    EXPECT_FALSE(enricher.enrich(event("No Such Song", std::nullopt), row, error));
    EXPECT_EQ(error.reason, RejectReason::UnknownSong);
    EXPECT_NE(error.detail.find("No Such Song"), std::string::npos);
}

// The song's name comes from the message: in the detail (and so the log) it is escaped and
// capped, so a 4 MB name is not a 4 MB line and a newline cannot forge one.
TEST_F(EnricherTest, UnknownSongNameIsEscapedAndCappedInTheDetail) {
    EXPECT_FALSE(enricher.enrich(event("x\nstream: done: consumed=0\x1b]0;owned\x07", std::nullopt),
                                 row, error));
    EXPECT_EQ(error.detail, R"(song "x\nstream: done: consumed=0\x1b]0;owned\x07" is not in the catalogue)");

    EXPECT_FALSE(enricher.enrich(event(std::string(4 << 20, 'a'), std::nullopt), row, error));
    EXPECT_LT(error.detail.size(), 300u);
    EXPECT_EQ(error.detail, "song \"" + std::string(200, 'a') + "\" ... (4194104 more bytes) is not in the catalogue");

    EXPECT_FALSE(enricher.enrich(event("Echo\r\n", catalog.songs()[2].id), row, error));
    EXPECT_NE(error.detail.find(R"(not "Echo\r\n")"), std::string::npos) << error.detail;
}

TEST_F(EnricherTest, UnknownSongIdIsRejectedNotGuessedByName) {
    EXPECT_FALSE(enricher.enrich(event("Echo", 12345), row, error));
    EXPECT_EQ(error.reason, RejectReason::UnknownSong);
    EXPECT_NE(error.detail.find("12345"), std::string::npos);
}

TEST_F(EnricherTest, SongIdNamingAnotherSongIsRejected) {
    // A producer with a different catalogue: the id exists but names another song.
    EXPECT_FALSE(enricher.enrich(event("Echo", catalog.songs()[2].id), row, error));
    EXPECT_EQ(error.reason, RejectReason::UnknownSong);
    EXPECT_NE(error.detail.find("Rain, Again"), std::string::npos);
}

TEST(MessageProcessorTest, DecodesAndEnrichesBothFormats) {
    catalog::Catalog catalog = testing::small_catalog();
    pipeline::MessageProcessor processor(catalog);
    model::EnrichedRow row;
    events::DecodeError error;
    ASSERT_TRUE(processor.process(R"({"id": 99, "name": "Bo", "song": "Echo", "time": "2024-02-29 00:05"})",
                                  row, error)) << error.detail;
    EXPECT_EQ(row.song->artists, "First Artist");
    EXPECT_EQ(row.date, "2024-02-29");
    EXPECT_EQ(row.hour, 0);

    std::string ours = fmt::format(
        R"({{"id":5,"name":"Bo","song":"Echo","song_id":{},"time":"2024-02-29 12:00:01.999"}})",
        catalog.songs()[1].id);
    ASSERT_TRUE(processor.process(ours, row, error)) << error.detail;
    EXPECT_EQ(row.song->artists, "Second Artist");
    EXPECT_EQ(row.hour, 12);

    EXPECT_FALSE(processor.process("not json", row, error));
    EXPECT_EQ(error.reason, RejectReason::NotJson);
}

}  // namespace
}  // namespace playstream
