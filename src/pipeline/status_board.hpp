#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

#include "kafka/consumer_stats.hpp"
#include "pipeline/counters.hpp"
#include "store/store.hpp"

namespace playstream::pipeline {

// What a running StreamJob is doing, as the job last published it.
struct JobStatus {
    using Clock = std::chrono::steady_clock;

    bool running = false;  // between the job's start and its end
    Counters counters;
    std::string topic;
    bool in_group = false;       // an assignment came (maybe empty: more members than partitions)
    int partitions_assigned = 0;
    std::vector<kafka::PartitionLag> lag;
    std::optional<Clock::time_point> brokers_down_since;
    std::vector<store::NodeState> store_nodes;
    std::optional<Clock::time_point> store_failing_since;  // the current batch's writes fail (TransientError)
    Clock::time_point published{};
};

// Hands the job's status from the job's thread to readers on others (the HTTP server): the job
// publishes a copy every few hundred ms, readers take a copy. A store write in progress is
// marked at once, so a write that hangs shows before the next publication.
class StatusBoard {
public:
    using Clock = JobStatus::Clock;

    void publish(JobStatus status);
    JobStatus snapshot() const;

    void write_started(Clock::time_point at) { write_started_.store(at.time_since_epoch().count()); }
    void write_ended() { write_started_.store(0); }
    std::optional<Clock::time_point> write_in_progress_since() const;

private:
    mutable std::mutex mutex_;
    JobStatus status_;
    std::atomic<Clock::rep> write_started_{0};  // 0: no write in progress
};

}  // namespace playstream::pipeline
