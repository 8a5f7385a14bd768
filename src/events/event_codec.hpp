#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "model/listen_event.hpp"
#include "model/reject_reason.hpp"

namespace playstream::events {

struct DecodeError {
    model::RejectReason reason = model::RejectReason::NotJson;
    std::string detail;  // e.g. "field 'time': month 13 out of range"
};

// Serialises an event as one JSON object (our format):
// {"id":123,"name":"Ada Lovelace","song":"Song","song_id":456,"time":"2024-03-03 10:15:42.123"}
// `song_id` is written only when set. `out` is overwritten.
void encode_event(const model::ListenEvent& event, std::string& out);

// Decodes our format and the classroom format ({"id","name","song","time":"YYYY-MM-DD hh:mm"}).
// Required: id (non-negative integer), name (non-empty string), song (string), time (string,
// see parse_timestamp). Optional: song_id (non-negative integer). Unknown fields are ignored,
// but must be JSON as the rest. A payload whose data() is null is a Kafka NULL value (a
// tombstone): rejected as null_value; a zero-length one as empty.
// Never throws on bad input: returns false and says why; every piece of the payload in the
// detail is escaped and capped (util/escape.hpp). One decoder per thread; reused buffers.
class EventDecoder {
public:
    bool decode(std::string_view payload, model::ListenEvent& out, DecodeError& error);

private:
    simdjson::ondemand::parser parser_;
    std::string padded_;  // payload copy with simdjson's required padding
};

}  // namespace playstream::events
