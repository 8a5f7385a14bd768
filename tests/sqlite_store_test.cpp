#include <gtest/gtest.h>

#include "events/timestamp.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace playstream {
namespace {

class SqliteStoreTest : public ::testing::Test {
protected:
    testing::ScratchDir dir;
    catalog::Catalog catalog = testing::small_catalog();
    store::SqliteStore store{dir.file("t.db")};

    model::EnrichedRow row(std::int64_t id, const std::string& name, const std::string& time,
                           std::size_t song) {
        model::EnrichedRow r;
        r.id = id;
        r.name = name;
        EXPECT_TRUE(events::parse_timestamp(time, r.time_ms));
        events::derive_date_hour(r.time_ms, r.date, r.hour);
        r.song = &catalog.songs()[song];
        return r;
    }

    void SetUp() override { store.ensure_schema(); }
};

TEST_F(SqliteStoreTest, TwoListensInTheSameMinuteAreTwoRows) {
    // The classroom key ((name, date, hour), time) at minute resolution kept only one of these.
    std::vector rows{row(1, "Ada", "2024-03-03 10:15", 0), row(2, "Ada", "2024-03-03 10:15", 2)};
    store.write(rows);
    EXPECT_EQ(store.count_rows(), 2);
    model::Table songs = store.songs({"Ada", "2024-03-03", 10});
    ASSERT_EQ(songs.rows.size(), 2u);
}

TEST_F(SqliteStoreTest, RewritingABatchStoresNothingTwice) {
    std::vector rows{row(1, "Ada", "2024-03-03 10:15:00.001", 0), row(2, "Bo", "2024-03-03 11:00", 1)};
    store.write(rows);
    store.write(rows);  // a batch re-read after a crash before its commit
    EXPECT_EQ(store.count_rows(), 2);
}

TEST_F(SqliteStoreTest, SongsReturnsOneUserHourNewestFirst) {
    std::vector rows{row(1, "Ada", "2024-03-03 10:05", 0), row(2, "Ada", "2024-03-03 10:59:59.999", 2),
                     row(3, "Ada", "2024-03-03 11:00", 1), row(4, "Bo", "2024-03-03 10:30", 1),
                     row(5, "Ada", "2024-03-04 10:30", 1)};
    store.write(rows);
    model::Table songs = store.songs({"Ada", "2024-03-03", 10});
    ASSERT_EQ(songs.columns, std::vector<std::string>{"song"});
    ASSERT_EQ(songs.rows.size(), 2u);
    EXPECT_EQ(std::get<std::string>(songs.rows[0][0]), "Rain, Again");  // time DESC
    EXPECT_EQ(std::get<std::string>(songs.rows[1][0]), "Echo");
}

TEST_F(SqliteStoreTest, StatsAverageTheFeaturesOfOneUserHour) {
    std::vector rows{row(1, "Ada", "2024-03-03 10:05", 0), row(2, "Ada", "2024-03-03 10:06", 2),
                     row(3, "Ada", "2024-03-03 11:00", 1)};
    store.write(rows);
    model::Table stats = store.stats({"Ada", "2024-03-03", 10});
    ASSERT_EQ(stats.rows.size(), 1u);
    const auto& r = stats.rows[0];
    EXPECT_EQ(stats.columns[3], "listens");
    EXPECT_EQ(std::get<std::int64_t>(r[3]), 2);
    EXPECT_EQ(stats.columns[4], "avg_danceability");
    EXPECT_DOUBLE_EQ(std::get<double>(r[4]), (0.5 + 0.75) / 2);
    EXPECT_EQ(stats.columns.back(), "avg_tempo");
    EXPECT_DOUBLE_EQ(std::get<double>(r.back()), (120.5 + 140.0) / 2);
    EXPECT_TRUE(store.stats({"Ada", "2024-03-03", 9}).rows.empty());
}

TEST_F(SqliteStoreTest, SampleReturnsEveryColumnAsStored) {
    std::vector rows{row(42, "Zoë", "2024-02-29 23:59:59.999", 2)};
    store.write(rows);
    model::Table sample = store.sample(50);
    ASSERT_EQ(sample.rows.size(), 1u);
    ASSERT_EQ(sample.columns.size(), 22u);
    const auto& r = sample.rows[0];
    const model::Song& song = catalog.songs()[2];
    EXPECT_EQ(std::get<std::string>(r[0]), "Zoë");
    EXPECT_EQ(std::get<std::string>(r[1]), "2024-02-29");
    EXPECT_EQ(std::get<std::int64_t>(r[2]), 23);
    EXPECT_EQ(std::get<std::string>(r[3]), "2024-02-29 23:59:59.999");
    EXPECT_EQ(std::get<std::int64_t>(r[4]), 42);
    EXPECT_EQ(std::get<std::string>(r[5]), "Rain, Again");
    EXPECT_EQ(std::get<std::int64_t>(r[6]), song.id);
    EXPECT_EQ(std::get<std::string>(r[10]), "2018-05-05");
    EXPECT_EQ(sample.columns[13], "musical_key");
    EXPECT_EQ(std::get<std::int64_t>(r[13]), 5);
    EXPECT_EQ(std::get<float>(r[17]), song.features.acousticness);
    EXPECT_EQ(std::get<float>(r[18]), song.features.instrumentalness);  // 9.43E-06 as a float
    EXPECT_EQ(store.sample(0).rows.size(), 0u);
}

TEST_F(SqliteStoreTest, SchemaIsIdempotentAndSurvivesReopen) {
    std::vector rows{row(1, "Ada", "2024-03-03 10:15", 0)};
    store.write(rows);
    store.ensure_schema();
    store::SqliteStore reopened(dir.file("t.db"));
    reopened.ensure_schema();
    EXPECT_EQ(reopened.count_rows(), 1);
}

TEST(SqliteStoreErrors, UnopenablePathNamesTheStore) {
    try {
        store::SqliteStore bad("/nonexistent-dir/x.db");
        FAIL() << "opened a file in a missing directory";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("sqlite:/nonexistent-dir/x.db"), std::string::npos) << e.what();
    }
}

TEST(StoreUri, RejectsUnknownSchemes) {
    EXPECT_THROW(store::open_store("postgres://x"), UsageError);
    EXPECT_THROW(store::open_store("sqlite:"), UsageError);
}

}  // namespace
}  // namespace playstream

namespace playstream {
namespace {

TEST(SqliteStoreErrors, AFailedBatchRollsBackAndTheNextOneStillWrites) {
    testing::ScratchDir dir;
    catalog::Catalog catalog = testing::small_catalog();
    store::SqliteStore store(dir.file("t.db"));
    store.ensure_schema();
    model::EnrichedRow good{.id = 1, .name = "Ada", .date = "2024-03-03", .hour = 10,
                            .time_ms = 1709460000000, .song = &catalog.songs()[0]};
    model::EnrichedRow bad = good;
    bad.id = 2;
    {
        // A trigger stands in for a constraint the store cannot meet mid-batch.
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(dir.file("t.db").c_str(), &raw), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(raw, "CREATE TRIGGER no_two BEFORE INSERT ON listening_history "
                                    "WHEN NEW.id = 2 BEGIN SELECT RAISE(ABORT, 'id 2 refused'); END",
                               nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);
    }
    std::vector rows{good, bad};
    try {
        store.write(rows);
        FAIL() << "the batch with a refused row was written";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("id 2 refused"), std::string::npos) << e.what();
    }
    EXPECT_EQ(store.count_rows(), 0);  // all of the batch or none of it
    std::vector only_good{good};
    store.write(only_good);
    EXPECT_EQ(store.count_rows(), 1);
}

}  // namespace
}  // namespace playstream
