#include "pipeline/reject_sink.hpp"

#include <fmt/format.h>

namespace playstream::pipeline {

void LogRejectSink::reject(const MessageOrigin& origin, const events::DecodeError& error,
                           std::string_view payload) {
    if (logged_ > limit_) return;
    if (logged_++ == limit_) {
        fmt::print(stderr, "stream: more rejected messages; only their counts are reported now\n");
        return;
    }
    constexpr std::size_t shown = 120;  // enough to recognise the message, not to flood the log
    fmt::print(stderr, "stream: rejected {}/{}@{}: {}: {} (payload: {:?}{})\n", origin.topic,
               origin.partition, origin.offset, to_string(error.reason), error.detail,
               payload.substr(0, shown), payload.size() > shown ? "..." : "");
}

}  // namespace playstream::pipeline
