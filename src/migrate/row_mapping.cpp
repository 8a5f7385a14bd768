#include "migrate/row_mapping.hpp"

#include <fmt/format.h>

#include "events/timestamp.hpp"
#include "util/escape.hpp"

namespace playstream::migrate {

std::optional<Rejection> map_row(const ClassroomRow& in, const catalog::Catalog& catalog, model::EnrichedRow& row,
                                 model::Song& song) {
    using Present = std::pair<bool, const char*>;
    for (auto [value, column] : {Present{in.name.has_value(), "name"}, Present{in.time.has_value(), "time"},
                                 Present{in.id.has_value(), "id"}, Present{in.song.has_value(), "song"}}) {
        if (!value) return Rejection{"missing_field", fmt::format("{} is null", column)};
    }
    std::string why;
    if (!events::parse_timestamp(*in.time, row.time_ms, &why)) {
        return Rejection{"bad_time", fmt::format("time {}: {}", escape_for_log(*in.time), why)};
    }
    events::derive_date_hour(row.time_ms, row.date, row.hour);
    if ((in.date && *in.date != row.date) || (in.hour && *in.hour != row.hour)) {
        return Rejection{"key_mismatch", fmt::format("date {} hour {} disagree with time {}",
                                                     escape_for_log(in.date.value_or("null")),
                                                     in.hour ? fmt::format("{}", *in.hour) : "null",
                                                     escape_for_log(*in.time))};
    }
    const model::Song* known = catalog.find_by_name(*in.song);
    if (known == nullptr) {
        return Rejection{"unknown_song", fmt::format("song {} is not in the catalogue", escape_for_log(*in.song))};
    }
    row.name = *in.name;
    row.id = *in.id;
    song = *known;  // its id, and whatever the row has NULL
    song.name = *in.song;
    if (in.artists) song.artists = *in.artists;
    if (in.duration_ms) song.duration_ms = static_cast<std::int32_t>(*in.duration_ms);
    if (in.album_name) song.album_name = *in.album_name;
    if (in.album_release_date) song.album_release_date = *in.album_release_date;
    if (in.key) song.key = static_cast<std::int32_t>(*in.key);
    model::AudioFeatures& f = song.features;
    float* features[] = {&f.danceability, &f.energy,           &f.loudness, &f.mode,    &f.speechiness,
                         &f.acousticness, &f.instrumentalness, &f.liveness, &f.valence, &f.tempo};
    for (std::size_t i = 0; i < in.features.size(); ++i) {
        if (in.features[i]) *features[i] = static_cast<float>(*in.features[i]);
    }
    row.song = &song;
    return std::nullopt;
}

}  // namespace playstream::migrate
