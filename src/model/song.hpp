#pragma once

#include <cstdint>
#include <string>

namespace playstream::model {

// Audio features as the catalogue gives them; stored as CQL `float`, so kept as float here
// to make every store return exactly the value the catalogue had after that rounding.
struct AudioFeatures {
    float danceability = 0;
    float energy = 0;
    float loudness = 0;
    float mode = 0;
    float speechiness = 0;
    float acousticness = 0;
    float instrumentalness = 0;
    float liveness = 0;
    float valence = 0;
    float tempo = 0;
};

struct Song {
    std::int64_t id = 0;  // stable id, see catalog/song_id.hpp
    std::string name;
    std::string artists;
    std::int32_t duration_ms = 0;
    std::string album_name;
    std::string album_release_date;
    std::int32_t key = 0;  // the CSV's `key`; column `musical_key` in the table
    AudioFeatures features;
};

}  // namespace playstream::model
