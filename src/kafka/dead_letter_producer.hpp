#pragma once

#include <string>

#include "kafka/producer.hpp"
#include "pipeline/dead_letter.hpp"

namespace playstream::kafka {

// The dead-letter topic: each letter is produced with its original key and value byte for byte
// and the playstream.* headers, by an idempotent acks=all producer. librdkafka retries a failing
// delivery by itself (up to message.timeout.ms); a letter it gives up on fails the next flush().
class DeadLetterProducer final : public pipeline::DeadLetterSink {
public:
    DeadLetterProducer(ProducerOptions options, std::string topic);

    void send(const pipeline::DeadLetter& letter) override;
    bool flush(std::chrono::milliseconds timeout) override;
    std::string_view name() const override { return topic_; }

private:
    std::string topic_;
    Producer producer_;
};

// The -X settings of `stream` that concern any client (security, sockets, client id), not the
// consumer alone: what the dead-letter producer shares with the consumer.
Settings shared_client_settings(const Settings& consumer_settings);

}  // namespace playstream::kafka
