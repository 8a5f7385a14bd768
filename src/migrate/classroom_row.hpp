#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace playstream::migrate {

// The columns a migration reads from the classroom's listening_history (schema/classroom.cql),
// in this order: the key, the listen, the song as stored, then the audio features in the order
// of store::feature_columns.
inline constexpr std::array<std::string_view, 21> classroom_columns{
    "name",  "date",   "hour",         "time",         "id",          "song",         "artists",
    "duration_ms", "album_name", "album_release_date", "key",  "danceability", "energy",
    "loudness",    "mode",       "speechiness",  "acousticness", "instrumentalness", "liveness",
    "valence",     "tempo"};
inline constexpr std::size_t first_feature = 11;

// One classroom row as stored: any cell may be null (Cassandra has no NOT NULL).
struct ClassroomRow {
    std::optional<std::string> name, date;
    std::optional<std::int64_t> hour;
    std::optional<std::string> time;
    std::optional<std::int64_t> id;
    std::optional<std::string> song, artists;
    std::optional<std::int64_t> duration_ms;
    std::optional<std::string> album_name, album_release_date;
    std::optional<std::int64_t> key;
    std::array<std::optional<double>, 10> features;  // store::feature_columns' order
};

}  // namespace playstream::migrate
