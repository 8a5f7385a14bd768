#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/reject_reason.hpp"
#include "pipeline/source.hpp"

namespace playstream::pipeline {

// The step at which a message failed: it names the `playstream.error.stage` header.
enum class Stage { Decode, Enrich, Store };
std::string_view to_string(Stage stage);
// Decode or enrich, from the reject reason: only the catalogue join happens in the enricher.
Stage stage_of(model::RejectReason reason);

// A rejected message on its way to the dead-letter topic: the original key, value and headers,
// byte for byte, and why and where it failed.
struct DeadLetter {
    Stage stage = Stage::Decode;
    std::string_view reason{};   // the counter's name, e.g. "not_json"
    std::string_view message{};  // the human explanation
    std::string_view topic{};
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::int64_t timestamp_ms = -1;
    std::string_view key{};      // data() null: no key
    std::string_view payload{};  // data() null: no value
    std::span<const Header> headers{};  // the message's own headers, kept as they were
};

// The headers a dead letter carries besides the message's own (which come first, as Kafka
// Connect keeps them), in its `__connect.errors.*` spirit, in order: playstream.error.stage,
// .error.reason, .error.message, .source.topic, .source.partition, .source.offset,
// .source.timestamp (ms since the epoch; absent when the message had none).
std::vector<std::pair<std::string, std::string>> dead_letter_headers(const DeadLetter& letter);

// An output for rejected messages, like the store for rows: what it has not acknowledged must
// not be committed. Letters are numbered 1, 2, ... in the order sent, so a batch needs only the
// number of its last letter to know when all of its letters are acknowledged.
class DeadLetterSink {
public:
    virtual ~DeadLetterSink() = default;
    // Queues one letter (copied) and returns its number. Throws playstream::Error if it cannot
    // even be queued.
    virtual std::uint64_t send(const DeadLetter& letter) = 0;
    // The highest n such that letters 1 to n are all acknowledged; serves the acknowledgements
    // that came, without waiting. Throws playstream::Error once a letter failed for good.
    virtual std::uint64_t acknowledged() = 0;
    // True once every letter sent so far is acknowledged; false if some are still in flight
    // after `timeout`. Throws playstream::Error once a letter failed for good.
    virtual bool flush(std::chrono::milliseconds timeout) = 0;
    // Where letters go, for log lines.
    virtual std::string_view name() const = 0;
};

}  // namespace playstream::pipeline
