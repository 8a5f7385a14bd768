// The one description of listening_history's columns (store/columns.hpp) against both schema
// files, and the values it takes from a row.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/columns.hpp"

namespace playstream::store {
std::string_view sqlite_schema_sql();   // schema/sqlite.sql, compiled in
std::string_view cassandra_schema_cql();  // schema/cassandra.cql, compiled in
}  // namespace playstream::store

namespace store = playstream::store;
namespace model = playstream::model;

namespace {

// (name, type) of each column a CREATE TABLE declares, in order, up to its PRIMARY KEY.
std::vector<std::pair<std::string, std::string>> declared_columns(std::string_view ddl) {
    std::vector<std::pair<std::string, std::string>> out;
    std::istringstream lines{std::string(ddl.substr(ddl.find("CREATE TABLE")))};
    std::string line;
    std::getline(lines, line);  // CREATE TABLE ... (
    while (std::getline(lines, line) && line.find("PRIMARY KEY") == std::string::npos) {
        std::istringstream words(line);
        std::string name, type;
        words >> name >> type;
        if (!type.empty() && type.back() == ',') type.pop_back();
        out.emplace_back(name, type);
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> described(bool cql) {
    std::vector<std::pair<std::string, std::string>> out;
    std::apply([&](const auto&... c) { (out.emplace_back(c.name, cql ? c.cql_type : c.sqlite_type), ...); },
               store::table_columns);
    return out;
}

TEST(StoreColumns, DescribeTheCassandraSchemaColumnForColumn) {
    EXPECT_EQ(declared_columns(store::cassandra_schema_cql()), described(true));
}

TEST(StoreColumns, DescribeTheSqliteSchemaColumnForColumn) {
    EXPECT_EQ(declared_columns(store::sqlite_schema_sql()), described(false));
}

TEST(StoreColumns, NamesAndFeaturesAreDerivedInTableOrder) {
    ASSERT_EQ(store::row_columns.size(), 22u);
    EXPECT_EQ(store::row_columns[3], "time");
    EXPECT_EQ(store::row_columns[13], "musical_key");
    EXPECT_EQ(store::feature_columns.size(), 10u);
    EXPECT_EQ(store::feature_columns[1], "energy");
    EXPECT_EQ(store::feature_columns[2], "loudness") << "musical_key sits between them and is no feature";
    EXPECT_EQ(store::insert_statement("INSERT INTO", "t").substr(0, 34), "INSERT INTO t (name, date, hour, t");
}

TEST(StoreColumns, TakeEachValueFromItsPlaceInTheRow) {
    model::Song song;
    song.id = 77;
    song.name = "Song";
    song.artists = "Band";
    song.duration_ms = 180000;
    song.album_name = "Album";
    song.album_release_date = "2020-01-01";
    song.key = 5;
    song.features = {0.1f, 0.2f, -7.5f, 1.0f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 120.0f};
    model::EnrichedRow row{42, "alice", "2024-03-01", 13, 1709298000000, &song};
    std::vector<std::string> values;
    store::for_each_value(row, [&](const auto& column, auto value) {
        std::ostringstream text;
        if constexpr (std::is_same_v<decltype(value), std::string_view>) {
            text << column.name << '=' << value;
        } else {
            text << column.name << '=' << +value;
        }
        values.push_back(text.str());
    });
    EXPECT_EQ(values, (std::vector<std::string>{
                          "name=alice", "date=2024-03-01", "hour=13", "time=1709298000000", "id=42", "song=Song",
                          "song_id=77", "artists=Band", "duration_ms=180000", "album_name=Album",
                          "album_release_date=2020-01-01", "danceability=0.1", "energy=0.2", "musical_key=5",
                          "loudness=-7.5", "mode=1", "speechiness=0.3", "acousticness=0.4",
                          "instrumentalness=0.5", "liveness=0.6", "valence=0.7", "tempo=120"}));
    EXPECT_EQ(store::feature_values(song)[2], -7.5f);
    EXPECT_EQ(store::feature_values(song)[9], 120.0f);
}

}  // namespace
