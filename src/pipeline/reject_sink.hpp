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
// message's offset is committed with its batch (after the dead-letter topic, if any, has it).
class RejectSink {
public:
    virtual ~RejectSink() = default;
    virtual void reject(const MessageOrigin& origin, const events::DecodeError& error,
                        std::string_view payload) = 0;
    // Rejections this sink counted but did not show (a capped log).
    virtual std::uint64_t suppressed() const { return 0; }
};

// Logs each rejection to stderr, up to `limit` lines; past that it counts the lines it suppressed
// (reported at exit and in the counters), so a quiet log never hides how much it left out.
class LogRejectSink final : public RejectSink {
public:
    explicit LogRejectSink(std::uint64_t limit = 1000) : limit_(limit) {}
    void reject(const MessageOrigin& origin, const events::DecodeError& error,
                std::string_view payload) override;
    std::uint64_t suppressed() const override { return suppressed_; }

private:
    std::uint64_t limit_;
    std::uint64_t logged_ = 0;
    std::uint64_t suppressed_ = 0;
};

}  // namespace playstream::pipeline
