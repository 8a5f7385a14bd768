#include "pipeline/reject_sink.hpp"

#include <fmt/format.h>

#include "util/escape.hpp"

namespace playstream::pipeline {

void LogRejectSink::reject(const MessageOrigin& origin, const events::DecodeError& error,
                           std::string_view payload) {
    if (logged_ >= limit_) {
        if (suppressed_++ == 0) {
            fmt::print(stderr, "stream: {} rejections logged; further ones are only counted "
                       "(reject_log_suppressed in the summary)\n", limit_);
        }
        return;
    }
    ++logged_;
    // The detail's pieces of payload are escaped where it is made (events/, enricher); the
    // payload is escaped and capped here, so that no message can forge or flood a line.
    fmt::print(stderr, "stream: rejected {}/{}@{}: {}: {} (payload: {})\n", origin.topic,
               origin.partition, origin.offset, to_string(error.reason), error.detail,
               quote_for_log(payload));
}

}  // namespace playstream::pipeline
