#include <gtest/gtest.h>

#include "catalog/song_id.hpp"
#include "migrate/row_mapping.hpp"
#include "test_support.hpp"

namespace playstream {
namespace {

class MigrateRow : public ::testing::Test {
protected:
    catalog::Catalog catalog = testing::small_catalog();
    model::EnrichedRow row;
    model::Song song;

    static migrate::ClassroomRow classroom(std::string time = "2024-03-03 10:15", std::string song = "Echo") {
        migrate::ClassroomRow r;
        r.name = "Ada";
        r.date = "2024-03-03";
        r.hour = 10;
        r.time = std::move(time);
        r.id = 4711;
        r.song = std::move(song);
        return r;
    }
    std::string reason(const migrate::ClassroomRow& in) {
        auto why = migrate::map_row(in, catalog, row, song);
        return why ? why->reason : "";
    }
};

TEST_F(MigrateRow, TimeTextBecomesUtcWithTheHourAsWrittenAndSongIdByName) {
    auto in = classroom();
    in.features[0] = 0.125;  // danceability as stored, not the catalogue's 0.5
    in.artists = "Stored Artist";
    ASSERT_EQ(reason(in), "");
    EXPECT_EQ(row.time_ms, 1709460900000);  // 2024-03-03T10:15:00Z
    EXPECT_EQ(row.date, "2024-03-03");
    EXPECT_EQ(row.hour, 10);
    EXPECT_EQ(row.id, 4711);
    EXPECT_EQ(row.song, &song);
    // The first "Echo" of the file, as stream joins a classroom message.
    EXPECT_EQ(song.id, catalog.find_by_name("Echo")->id);
    EXPECT_EQ(song.id, catalog::song_id(catalog.songs()[0]));
    EXPECT_EQ(song.features.danceability, 0.125f);
    EXPECT_EQ(song.artists, "Stored Artist");
    // NULL in the row: the catalogue's value.
    EXPECT_EQ(song.features.energy, 0.6f);
    EXPECT_EQ(song.album_name, "Album A");
}

TEST_F(MigrateRow, RowsThatCannotBeMappedSayWhy) {
    EXPECT_EQ(reason(classroom("2024-03-03 3:15 PM")), "bad_time");
    EXPECT_EQ(reason(classroom("2024-03-03 10:15", "Nope")), "unknown_song");
    auto shifted = classroom("2024-03-03 11:15");
    EXPECT_EQ(reason(shifted), "key_mismatch");
    auto unnamed = classroom();
    unnamed.name.reset();
    EXPECT_EQ(reason(unnamed), "missing_field");
    auto no_id = classroom();
    no_id.id.reset();
    auto why = migrate::map_row(no_id, catalog, row, song);
    ASSERT_TRUE(why);
    EXPECT_EQ(why->detail, "id is null");
}

}  // namespace
}  // namespace playstream
