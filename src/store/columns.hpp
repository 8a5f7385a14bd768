#pragma once

#include <array>
#include <string>
#include <string_view>

#include "model/song.hpp"

namespace playstream::store {

// listening_history's columns in table order: what `query sample` returns from every store.
inline constexpr std::array<std::string_view, 22> row_columns{
    "name",        "date",         "hour",          "time",       "id",
    "song",        "song_id",      "artists",       "duration_ms", "album_name",
    "album_release_date", "danceability", "energy", "musical_key", "loudness",
    "mode",        "speechiness",  "acousticness",  "instrumentalness", "liveness",
    "valence",     "tempo"};

// The audio features, in table order; `query stats` averages each of them.
inline constexpr std::array<std::string_view, 10> feature_columns{
    "danceability", "energy",   "loudness", "mode",    "speechiness",
    "acousticness", "instrumentalness", "liveness", "valence", "tempo"};

inline std::array<float, 10> feature_values(const model::AudioFeatures& f) {
    return {f.danceability, f.energy,           f.loudness, f.mode,    f.speechiness,
            f.acousticness, f.instrumentalness, f.liveness, f.valence, f.tempo};
}

}  // namespace playstream::store

namespace playstream::store {

// "<verb> <table> (name, date, ...) VALUES (?, ?, ...)" over row_columns, for every store.
std::string insert_statement(std::string_view verb, std::string_view table);

}  // namespace playstream::store
