#pragma once

#include <cstdint>
#include <string>

#include "model/song.hpp"

namespace playstream::model {

// One row of `listening_history`: a listen joined with its catalogue song.
struct EnrichedRow {
    std::int64_t id = 0;
    std::string name;
    std::string date;  // YYYY-MM-DD, UTC
    std::int32_t hour = 0;  // 0-23, UTC
    std::int64_t time_ms = 0;
    const Song* song = nullptr;  // owned by the catalogue, which outlives every row
};

}  // namespace playstream::model
