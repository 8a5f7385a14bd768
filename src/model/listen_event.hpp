#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace playstream::model {

// One listen as it travels on the topic.
struct ListenEvent {
    std::int64_t id = 0;
    std::string name;                     // user name; also the Kafka message key
    std::string song;                     // song name, as the classroom producer sent it
    std::optional<std::int64_t> song_id;  // absent in classroom messages
    std::int64_t time_ms = 0;             // UTC, milliseconds since the Unix epoch
};

}  // namespace playstream::model
