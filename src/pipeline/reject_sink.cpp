#include "pipeline/reject_sink.hpp"

#include <fmt/format.h>

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
    constexpr std::size_t shown = 120;  // enough to recognise the message, not to flood the log
    fmt::print(stderr, "stream: rejected {}/{}@{}: {}: {} (payload: {:?}{})\n", origin.topic,
               origin.partition, origin.offset, to_string(error.reason), error.detail,
               payload.substr(0, shown), payload.size() > shown ? "..." : "");
}

}  // namespace playstream::pipeline
