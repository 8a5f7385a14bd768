#include "pipeline/status_board.hpp"

namespace playstream::pipeline {

void StatusBoard::publish(const JobStatus& status) {
    std::lock_guard lock(mutex_);
    status_ = status;
}

JobStatus StatusBoard::snapshot() const {
    std::lock_guard lock(mutex_);
    return status_;
}

std::optional<StatusBoard::Clock::time_point> StatusBoard::write_in_progress_since() const {
    const Clock::rep since = write_started_.load();
    if (since == 0) return std::nullopt;
    return Clock::time_point(Clock::duration(since));
}

}  // namespace playstream::pipeline
