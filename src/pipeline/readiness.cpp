#include "pipeline/readiness.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace playstream::pipeline {
namespace {

using namespace std::chrono_literals;

// Past this, a write that has not returned or a job that has not published counts as stuck.
constexpr auto patience = 5s;

long long seconds_since(JobStatus::Clock::time_point since, JobStatus::Clock::time_point now) {
    return std::chrono::duration_cast<std::chrono::seconds>(std::max(now - since, JobStatus::Clock::duration{})).count();
}

}  // namespace

std::optional<std::string> unready_reason(const JobStatus& status,
                                          std::optional<JobStatus::Clock::time_point> write_since,
                                          JobStatus::Clock::time_point now) {
    if (!status.running) {
        return status.published == JobStatus::Clock::time_point{} ? "starting" : "stopped";
    }
    if (status.store_unreachable_since) {
        return fmt::format("store unreachable for {} s", seconds_since(*status.store_unreachable_since, now));
    }
    if (write_since && now - *write_since >= patience) {
        return fmt::format("store has not answered a write for {} s", seconds_since(*write_since, now));
    }
    if (!status.store_nodes.empty() &&
        std::none_of(status.store_nodes.begin(), status.store_nodes.end(), [](const auto& n) { return n.connected; })) {
        return fmt::format("no store node connected (of {})", status.store_nodes.size());
    }
    if (status.brokers_unreachable_since) {
        return fmt::format("Kafka brokers unreachable for {} s", seconds_since(*status.brokers_unreachable_since, now));
    }
    // A write in progress explains the silence; it has its own reason above once it lasts.
    if (!write_since && now - status.published >= patience) {
        return fmt::format("stream loop has not reported for {} s", seconds_since(status.published, now));
    }
    if (!status.in_group) return fmt::format("joining the consumer group of {}", status.topic);
    return std::nullopt;
}

}  // namespace playstream::pipeline
