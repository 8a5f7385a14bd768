#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace playstream::model {

// Why a message from the topic did not become a row. Counted per reason by `stream`; the names
// are also the values of a Prometheus label, so they stay lower_snake_case.
enum class RejectReason : std::size_t {
    NotJson,       // payload is not a JSON object
    MissingField,  // a required field is absent
    WrongType,     // a field has the wrong JSON type or is out of range
    BadTime,       // `time` is not a valid timestamp
    UnknownSong,   // neither song_id nor song name is in the catalogue
    NullValue,     // the message has a NULL value: a tombstone, which deletes a key in Kafka
    Empty,          // the value is zero bytes long
};

inline constexpr std::size_t reject_reason_count = 7;

constexpr std::string_view to_string(RejectReason r) {
    constexpr std::array<std::string_view, reject_reason_count> names{
        "not_json", "missing_field", "wrong_type", "bad_time", "unknown_song", "null_value",
        "empty"};
    return names[static_cast<std::size_t>(r)];
}

}  // namespace playstream::model
