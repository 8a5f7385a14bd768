#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "model/enriched_row.hpp"

namespace playstream::store {

// One column of listening_history: its name, its type in each store's schema (schema/*.sql,
// *.cql; tests/columns_test.cpp checks them against these) and where an enriched row keeps its
// value. `get` returns std::string_view, std::int32_t, std::int64_t or float: what each store
// binds. `feature`: an audio feature, which `query stats` averages.
template <class Get>
struct Column {
    std::string_view name;
    std::string_view cql_type;
    std::string_view sqlite_type;
    bool feature;
    Get get;
};

using Row = model::EnrichedRow;

// The table's columns in table order: the one description every store writes and reads by.
// A new column is one line here (and one in each schema file).
inline constexpr auto table_columns = std::make_tuple(
    Column{"name", "text", "TEXT", false, [](const Row& r) -> std::string_view { return r.name; }},
    Column{"date", "text", "TEXT", false, [](const Row& r) -> std::string_view { return r.date; }},
    Column{"hour", "int", "INTEGER", false, [](const Row& r) { return r.hour; }},
    Column{"time", "timestamp", "INTEGER", false, [](const Row& r) { return r.time_ms; }},
    Column{"id", "bigint", "INTEGER", false, [](const Row& r) { return r.id; }},
    Column{"song", "text", "TEXT", false, [](const Row& r) -> std::string_view { return r.song->name; }},
    Column{"song_id", "bigint", "INTEGER", false, [](const Row& r) { return r.song->id; }},
    Column{"artists", "text", "TEXT", false, [](const Row& r) -> std::string_view { return r.song->artists; }},
    Column{"duration_ms", "int", "INTEGER", false, [](const Row& r) { return r.song->duration_ms; }},
    Column{"album_name", "text", "TEXT", false,
           [](const Row& r) -> std::string_view { return r.song->album_name; }},
    Column{"album_release_date", "text", "TEXT", false,
           [](const Row& r) -> std::string_view { return r.song->album_release_date; }},
    Column{"danceability", "float", "REAL", true, [](const Row& r) { return r.song->features.danceability; }},
    Column{"energy", "float", "REAL", true, [](const Row& r) { return r.song->features.energy; }},
    Column{"musical_key", "int", "INTEGER", false, [](const Row& r) { return r.song->key; }},
    Column{"loudness", "float", "REAL", true, [](const Row& r) { return r.song->features.loudness; }},
    Column{"mode", "float", "REAL", true, [](const Row& r) { return r.song->features.mode; }},
    Column{"speechiness", "float", "REAL", true, [](const Row& r) { return r.song->features.speechiness; }},
    Column{"acousticness", "float", "REAL", true, [](const Row& r) { return r.song->features.acousticness; }},
    Column{"instrumentalness", "float", "REAL", true,
           [](const Row& r) { return r.song->features.instrumentalness; }},
    Column{"liveness", "float", "REAL", true, [](const Row& r) { return r.song->features.liveness; }},
    Column{"valence", "float", "REAL", true, [](const Row& r) { return r.song->features.valence; }},
    Column{"tempo", "float", "REAL", true, [](const Row& r) { return r.song->features.tempo; }});

inline constexpr std::size_t column_count = std::tuple_size_v<std::remove_const_t<decltype(table_columns)>>;

// Calls f(column, value) for each column of `row`, in table order.
template <class F>
void for_each_value(const Row& row, F&& f) {
    std::apply([&](const auto&... column) { (f(column, column.get(row)), ...); }, table_columns);
}

// listening_history's column names in table order: what `query sample` returns from every store.
inline constexpr std::array<std::string_view, column_count> row_columns =
    std::apply([](const auto&... column) { return std::array<std::string_view, column_count>{column.name...}; },
               table_columns);

// The audio features, in table order; `query stats` averages each of them.
inline constexpr std::size_t feature_count =
    std::apply([](const auto&... column) { return (std::size_t{column.feature} + ...); }, table_columns);
inline constexpr std::array<std::string_view, feature_count> feature_columns = [] {
    std::array<std::string_view, feature_count> out{};
    std::size_t n = 0;
    std::apply([&](const auto&... column) { ((column.feature ? void(out[n++] = column.name) : void()), ...); },
               table_columns);
    return out;
}();

// A song's audio features in feature_columns order.
std::array<float, feature_count> feature_values(const model::Song& song);

// "<verb> <table> (name, date, ...) VALUES (?, ?, ...)" over row_columns, for every store.
std::string insert_statement(std::string_view verb, std::string_view table);

}  // namespace playstream::store
