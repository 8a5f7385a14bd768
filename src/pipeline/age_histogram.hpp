#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace playstream::pipeline {

// How old events are when the store acknowledges them: from the event's own `time` (stamped by
// the producer) to the ack, in milliseconds. For events produced live this is the freshness of
// the table: produce to readable. Exact to 1 ms up to 10 s; older ones are counted together.
class AgeHistogram {
public:
    void record(std::int64_t age_ms);
    std::uint64_t count() const { return count_; }
    // The smallest age at or under which `fraction` of the events fall (10000 means "over 10 s").
    std::int64_t percentile(double fraction) const;
    // "p50=12ms p99=180ms max=240ms", or "" with no events.
    std::string summary() const;
    // How many ages were at most `ms` (from 10 s up: under 10 s), and the sum of all (for /metrics).
    std::uint64_t count_at_most(std::int64_t ms) const;
    std::int64_t sum_ms() const { return sum_ms_; }

    // Exact to this many ms.
    static constexpr std::size_t exact = 10000;

private:
    std::array<std::uint64_t, exact + 1> buckets_{};
    std::uint64_t count_ = 0;
    std::int64_t max_ = 0;
    std::int64_t sum_ms_ = 0;
};

}  // namespace playstream::pipeline
