#pragma once

#include <chrono>
#include <mutex>
#include <optional>

#include "pipeline/counters.hpp"

namespace playstream::pipeline {

// What a running StreamJob is doing, beyond its counts: for a health check or a metrics page.
struct JobStatus {
    using Time = std::chrono::system_clock::time_point;
    Counters counters;
    int partitions_assigned = 0;
    std::optional<Time> brokers_unreachable_since;  // set while no broker answers
    std::optional<Time> store_unreachable_since;    // set while the store fails transiently
    std::optional<Time> dead_letters_waiting_since; // set while dead letters are unacknowledged
    std::optional<Time> last_store_ack;             // the last write the store acknowledged
    std::optional<Time> last_commit;
    bool running = false;                           // between the start and the end of run()
};

// The job publishes its status here (every ~200 ms and at each change of state that matters);
// any other thread reads a consistent copy with snapshot().
class StatusBoard {
public:
    void publish(const JobStatus& status) {
        std::lock_guard lock(mutex_);
        status_ = status;
    }
    JobStatus snapshot() const {
        std::lock_guard lock(mutex_);
        return status_;
    }

private:
    mutable std::mutex mutex_;
    JobStatus status_;
};

}  // namespace playstream::pipeline
