#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "model/reject_reason.hpp"
#include "metrics/histogram.hpp"
#include "pipeline/age_histogram.hpp"

namespace playstream::pipeline {

// 1 to 100,000 messages: --batch-size's range in practice.
std::vector<double> batch_size_buckets();

// What `stream` has done, reported every few seconds and at exit.
struct Counters {
    std::uint64_t consumed = 0;  // messages read from the topic
    std::uint64_t stored = 0;    // rows the store acknowledged
    std::array<std::uint64_t, model::reject_reason_count> rejected{};
    std::uint64_t batches = 0;
    std::uint64_t largest_batch = 0;  // messages in the largest batch written
    std::uint64_t commits = 0;
    std::uint64_t commit_failures = 0;
    std::uint64_t store_retries = 0;
    std::uint64_t store_refused = 0;   // rows the store refused for good (sent to the dead-letter topic)
    std::uint64_t dead_lettered = 0;   // messages the dead-letter topic acknowledged
    std::uint64_t skipped = 0;         // messages the broker deleted before we read them (data loss)
    std::uint64_t reject_log_suppressed = 0;  // rejections counted but not logged (log line cap)
    AgeHistogram age_at_ack;  // event time to store acknowledgement
    AgeHistogram age_at_read;  // event time to `stream` taking it from the consumer: Kafka's share
    metrics::Histogram store_write_seconds{metrics::latency_buckets()};  // each successful write
    metrics::Histogram batch_messages{batch_size_buckets()};             // messages per batch flushed

    std::uint64_t rejected_total() const;
    void reject(model::RejectReason reason) { ++rejected[static_cast<std::size_t>(reason)]; }
    // "consumed=10 stored=9 rejected=1 (bad_time=1) batches=1 commits=1"
    std::string summary() const;
};

}  // namespace playstream::pipeline
