#include "pipeline/counters.hpp"

#include <numeric>

#include <fmt/format.h>

namespace playstream::pipeline {

std::vector<double> batch_size_buckets() {
    return {1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000};
}

std::uint64_t Counters::rejected_total() const {
    return std::accumulate(rejected.begin(), rejected.end(), std::uint64_t{0});
}

std::string Counters::summary() const {
    std::string reasons;
    for (std::size_t i = 0; i < rejected.size(); ++i) {
        if (rejected[i] == 0) continue;
        reasons += fmt::format("{}{}={}", reasons.empty() ? "" : " ",
                               to_string(static_cast<model::RejectReason>(i)), rejected[i]);
    }
    std::string text = fmt::format("consumed={} stored={} rejected={}", consumed, stored,
                                   rejected_total());
    if (!reasons.empty()) text += fmt::format(" ({})", reasons);
    text += fmt::format(" batches={}", batches);
    if (largest_batch != 0) text += fmt::format(" largest_batch={}", largest_batch);
    text += fmt::format(" commits={}", commits);
    if (commit_failures != 0) text += fmt::format(" commit_failures={}", commit_failures);
    if (store_retries != 0) text += fmt::format(" store_retries={}", store_retries);
    if (store_refused != 0) text += fmt::format(" store_refused={}", store_refused);
    if (dead_lettered != 0) text += fmt::format(" dead_lettered={}", dead_lettered);
    if (skipped != 0) text += fmt::format(" skipped={}", skipped);
    if (reject_log_suppressed != 0) {
        text += fmt::format(" reject_log_suppressed={}", reject_log_suppressed);
    }
    if (age_at_ack.count() != 0) text += fmt::format(" age_at_ack: {}", age_at_ack.summary());
    if (age_at_read.count() != 0) text += fmt::format(" age_at_read: {}", age_at_read.summary());
    return text;
}

}  // namespace playstream::pipeline
