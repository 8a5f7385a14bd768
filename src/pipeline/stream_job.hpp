#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "catalog/catalog.hpp"
#include "kafka/consumer.hpp"
#include "pipeline/batch.hpp"
#include "pipeline/counters.hpp"
#include "pipeline/enricher.hpp"
#include "pipeline/reject_sink.hpp"
#include "pipeline/status_board.hpp"
#include "store/store.hpp"

namespace playstream::pipeline {

struct StreamOptions {
    kafka::ConsumerOptions consumer;
    std::size_t batch_size = 10000;                  // messages per store write at most
    std::chrono::milliseconds flush_interval{250};   // a row waits at most this long to be written
    std::chrono::milliseconds exit_when_idle{0};     // stop after this long with partitions but no message; 0: never
    std::uint64_t max_messages = 0;                  // stop once this many are consumed; 0: never
    std::chrono::milliseconds report_interval{5000};  // progress line on stderr; 0: none
    bool quiet = false;                              // no progress or summary lines
    StatusBoard* status = nullptr;                   // given the job's status every 200 ms (--http)
};

// input (Kafka consumer group) → processor (decode, enrich) → output (store), with the offsets of
// a batch committed only after the store acknowledged every row of it. A crash between the two
// re-reads the batch, whose upserts then change nothing: at-least-once delivery, exactly-once rows.
class StreamJob {
public:
    StreamJob(StreamOptions options, const catalog::Catalog& catalog, store::Store& store,
              RejectSink& rejects);

    // Runs until `stop` is set, the idle limit or the message limit is reached; then stores and
    // commits the batch in hand and leaves the group. Throws playstream::Error on a failure it
    // cannot retry (offsets of unstored rows stay uncommitted).
    Counters run(const std::atomic<bool>& stop);

    // Seconds from the first message to the last commit, for throughput figures.
    double active_seconds() const;

private:
    using Clock = std::chrono::steady_clock;

    void loop(const std::atomic<bool>& stop);
    void handle(const rd_kafka_message_t& message);
    void flush();
    void write_batch();
    void report(Clock::time_point now);
    void publish(Clock::time_point now, bool running = true);  // to options_.status, if any

    StreamOptions options_;
    store::Store& store_;
    RejectSink& rejects_;
    MessageProcessor processor_;
    Batch batch_;
    std::size_t batch_messages_ = 0;
    Counters counters_;
    AgeHistogram recent_age_;  // since the last progress line
    const std::atomic<bool>* stop_ = nullptr;
    bool failed_ = false;  // run() is unwinding: revocations must not write again
    std::optional<Clock::time_point> last_activity_;  // set while partitions are assigned
    std::unique_ptr<kafka::Consumer> consumer_;

    Clock::time_point flush_deadline_{};
    Clock::time_point first_message_{};
    Clock::time_point last_commit_{};
    Clock::time_point next_report_{};
    Clock::time_point last_error_log_{};
    std::uint64_t reported_consumed_ = 0;

    // For options_.status:
    bool in_group_ = false;
    int partitions_ = 0;
    std::optional<Clock::time_point> store_failing_since_;
    Clock::time_point next_publish_{};
};

}  // namespace playstream::pipeline
