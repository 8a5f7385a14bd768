#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace playstream::model {

// Why a message from the topic did not become a row. Counted per reason by `stream`; the names
// are also the values of a Prometheus label, so they stay lower_snake_case.
enum class RejectReason : std::size_t {
    not_json,       // payload is not a JSON object
    missing_field,  // a required field is absent
    wrong_type,     // a field has the wrong JSON type or is out of range
    bad_time,       // `time` is not a valid timestamp
    unknown_song,   // neither song_id nor song name is in the catalogue
    null_value,     // the message has a NULL value: a tombstone, which deletes a key in Kafka
    empty,          // the value is zero bytes long
};

inline constexpr std::size_t reject_reason_count = 7;

constexpr std::string_view to_string(RejectReason r) {
    constexpr std::array<std::string_view, reject_reason_count> names{
        "not_json", "missing_field", "wrong_type", "bad_time", "unknown_song", "null_value",
        "empty"};
    return names[static_cast<std::size_t>(r)];
}

}  // namespace playstream::model
