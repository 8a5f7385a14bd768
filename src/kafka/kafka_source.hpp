#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kafka/consumer.hpp"
#include "pipeline/source.hpp"

namespace playstream::kafka {

// The pipeline's Source over a Kafka consumer group: turns librdkafka's messages and events into
// pipeline::SourceMessage / SourceEvent, so src/pipeline/ needs no librdkafka header. Besides
// translating, it
// - resets a partition whose committed offset lies outside the log: to --from when the group has
//   no offset yet, else to the log's start, reported as a `data_loss` event with the count of
//   messages the broker deleted unread (librdkafka would otherwise jump without a word);
// - reports `unreachable` when every broker is down (librdkafka's ALL_BROKERS_DOWN) and
//   `reachable` once one answers again (a message, an assignment, or a metadata probe every 5 s,
//   since librdkafka says nothing when brokers come back).
class KafkaSource final : public pipeline::Source {
public:
    explicit KafkaSource(const ConsumerOptions& options);

    const pipeline::SourceMessage* poll(std::chrono::milliseconds timeout,
                                        pipeline::SourceListener& listener) override;
    std::string commit(std::span<const pipeline::PartitionOffset> offsets) override;
    std::optional<std::string> commit_async(std::span<const pipeline::PartitionOffset> offsets) override;
    const pipeline::SourceMessage* reread(std::int32_t partition, std::int64_t offset) override;
    void close(pipeline::SourceListener& listener) override;
    std::string_view name() const override { return consumer_.topic(); }
    std::vector<pipeline::PartitionLag> lag() const override { return consumer_.stats().lag; }

private:
    using Clock = std::chrono::steady_clock;

    // Points the consumer's rebalance callback at `listener` for the duration of one call.
    class Listening;

    void on_error(const rd_kafka_message_t& message, pipeline::SourceListener& listener);
    void on_client_error(const Consumer::ClientError& error, pipeline::SourceListener& listener);
    void reset_offset(const rd_kafka_message_t& message, pipeline::SourceListener& listener);
    std::string restart_at(std::int32_t partition, std::int64_t target);
    void set_reachable(bool reachable, const std::string& why, pipeline::SourceListener& listener);
    void probe_brokers(pipeline::SourceListener& listener);
    void report_commits(pipeline::SourceListener& listener);
    // `message_` viewing `message`; its headers are read into headers_ when asked for.
    const pipeline::SourceMessage* view(const rd_kafka_message_t& message);
    std::span<const pipeline::Header> read_headers(const rd_kafka_message_t& message);

    pipeline::SourceListener* listener_ = nullptr;
    ConsumerOptions options_;
    Consumer consumer_;
    HandlePtr rereader_;  // a consumer outside the group, made on the first reread()
    MessagePtr reread_;
    MessagePtr current_;
    pipeline::SourceMessage message_;
    std::vector<pipeline::Header> headers_;
    bool unreachable_ = false;
    bool commit_unanswered_ = false;  // a synchronous commit got no answer in time
    Clock::time_point next_probe_{};
};

}  // namespace playstream::kafka
