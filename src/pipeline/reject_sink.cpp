#include "pipeline/reject_sink.hpp"

#include <fmt/format.h>

#include "util/escape.hpp"
#include "util/log.hpp"

namespace playstream::pipeline {

void LogRejectSink::reject(const MessageOrigin& origin, const events::DecodeError& error,
                           std::string_view payload) {
    if (logged_ >= limit_) {
        if (suppressed_++ == 0) {
            log::warn("stream", fmt::format("{} rejections logged; further ones are only counted "
                                            "(reject_log_suppressed in the summary)", limit_),
                      {{"event", "reject_log_suppressed"}});
        }
        return;
    }
    ++logged_;
    // The detail's pieces of payload are escaped where it is made (events/, enricher); the
    // payload is escaped and capped here, so that no message can forge or flood a line.
    log::info("stream", fmt::format("rejected {}/{}@{}: {}: {} (payload: {})", origin.topic, origin.partition,
                                    origin.offset, to_string(error.reason), error.detail, quote_for_log(payload)),
              {{"event", "rejected"}, {"topic", origin.topic}, {"partition", origin.partition},
               {"offset", origin.offset}, {"reason", to_string(error.reason)}});
}

}  // namespace playstream::pipeline
