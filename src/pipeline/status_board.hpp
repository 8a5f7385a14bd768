#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/counters.hpp"
#include "pipeline/source.hpp"
#include "store/store.hpp"

namespace playstream::pipeline {

// What a running StreamJob is doing, beyond its counts, as the job last published it: for the
// health check and the metrics page.
struct JobStatus {
    using Clock = std::chrono::steady_clock;

    bool running = false;  // between the start and the end of run()
    Counters counters;
    std::string topic;
    bool in_group = false;  // an assignment came (maybe empty: more members than partitions)
    int partitions_assigned = 0;
    std::vector<PartitionLag> lag;                     // per partition, as the source knows it
    std::vector<store::NodeState> store_nodes;         // Cassandra nodes; empty for SQLite
    std::optional<Clock::time_point> brokers_unreachable_since;   // set while no broker answers
    std::optional<Clock::time_point> store_unreachable_since;     // set while writes fail transiently
    std::optional<Clock::time_point> dead_letters_waiting_since;  // set while letters are unacknowledged
    std::optional<Clock::time_point> last_store_ack;   // the last write the store acknowledged
    std::optional<Clock::time_point> last_commit;
    Clock::time_point published{};                     // when this copy was made
};

// Hands the job's status from the job's thread to readers on others (the HTTP server): the job
// publishes a copy every ~200 ms and at each change that matters; readers take a copy. A store
// write in progress is marked at once, so a write that hangs shows before the next publication.
class StatusBoard {
public:
    using Clock = JobStatus::Clock;

    void publish(const JobStatus& status);
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
