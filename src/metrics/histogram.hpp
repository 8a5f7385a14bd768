#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace playstream::metrics {

// A histogram as the exposition format shows it: for each upper bound `le`, how many
// observations were at or under it (cumulative), then the total count and the sum.
struct HistogramSnapshot {
    std::vector<std::pair<double, std::uint64_t>> buckets;  // (le, cumulative count), le ascending, finite
    std::uint64_t count = 0;                                // the +Inf bucket
    double sum = 0;
};

// Observations counted into fixed buckets. Not thread-safe: its owner copies it, or guards it.
class Histogram {
public:
    // `upper_bounds`: ascending and finite (the +Inf bucket is implied). Throws
    // std::invalid_argument otherwise.
    explicit Histogram(std::vector<double> upper_bounds);

    void observe(double value);
    HistogramSnapshot snapshot() const;
    std::uint64_t count() const { return count_; }

private:
    std::vector<double> bounds_;
    std::vector<std::uint64_t> counts_;  // per bucket, not cumulative; one more than bounds_ (over all)
    std::uint64_t count_ = 0;
    double sum_ = 0;
};

// Bucket bounds for durations in seconds: 1 ms to 10 s, in 1-2.5-5 steps.
std::vector<double> latency_buckets();

}  // namespace playstream::metrics
