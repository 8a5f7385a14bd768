#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "kafka/producer.hpp"
#include "pipeline/dead_letter.hpp"

namespace playstream::kafka {

// The dead-letter topic: each letter is produced with its original key, value and headers byte
// for byte plus the playstream.* headers, by an idempotent acks=all producer. librdkafka retries
// a failing delivery by itself (up to message.timeout.ms); a letter it gives up on fails the next
// acknowledged() or flush().
class DeadLetterProducer final : public pipeline::DeadLetterSink {
public:
    DeadLetterProducer(ProducerOptions options, std::string topic);

    std::uint64_t send(const pipeline::DeadLetter& letter) override;
    std::uint64_t acknowledged() override;
    bool flush(std::chrono::milliseconds timeout) override;
    std::string_view name() const override { return topic_; }

private:
    void delivered(std::uint64_t number);
    void throw_if_failed() const;

    std::string topic_;
    std::uint64_t sent_ = 0;
    std::uint64_t acknowledged_ = 0;          // letters 1..acknowledged_ are delivered
    std::set<std::uint64_t> out_of_order_;    // delivered above acknowledged_ + 1 (other partitions)
    std::vector<pipeline::Header> headers_;   // reused by send()
    Producer producer_;                       // last: its callbacks use the members above
};

// The -X settings of `stream` that concern any client (security, sockets, client id), not the
// consumer alone: what the dead-letter producer shares with the consumer.
Settings shared_client_settings(const Settings& consumer_settings);

}  // namespace playstream::kafka
