#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "events/event_codec.hpp"

namespace playstream::pipeline {

// Where a message came from, for every message about it: "topic/partition@offset".
struct MessageOrigin {
    std::string_view topic;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
};

// Receives the messages that did not become rows. The stream goes on either way; the rejected
// message's offset is committed with its batch. A dead-letter topic would be another sink.
class RejectSink {
public:
    virtual ~RejectSink() = default;
    virtual void reject(const MessageOrigin& origin, const events::DecodeError& error,
                        std::string_view payload) = 0;
};

// Logs each rejection to stderr, up to `limit` lines; the counters keep counting past that.
class LogRejectSink final : public RejectSink {
public:
    explicit LogRejectSink(std::uint64_t limit = 1000) : limit_(limit) {}
    void reject(const MessageOrigin& origin, const events::DecodeError& error,
                std::string_view payload) override;

private:
    std::uint64_t limit_;
    std::uint64_t logged_ = 0;
};

}  // namespace playstream::pipeline
