#include "pipeline/age_histogram.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace playstream::pipeline {

void AgeHistogram::record(std::int64_t age_ms) {
    age_ms = std::max<std::int64_t>(age_ms, 0);  // clocks of producer and stream may differ a little
    ++buckets_[std::min(static_cast<std::size_t>(age_ms), exact)];
    ++count_;
    max_ = std::max(max_, age_ms);
    sum_ms_ += age_ms;
}

std::uint64_t AgeHistogram::count_at_most(std::int64_t ms) const {
    if (ms < 0) return 0;
    // The last bucket holds every age from 10 s up, so past 9999 ms only what is under 10 s is known.
    const std::size_t last = std::min(static_cast<std::size_t>(ms), exact - 1);
    std::uint64_t n = 0;
    for (std::size_t i = 0; i <= last; ++i) n += buckets_[i];
    return n;
}

std::int64_t AgeHistogram::percentile(double fraction) const {
    auto rank = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(count_)));
    std::uint64_t seen = 0;
    for (std::size_t ms = 0; ms < buckets_.size(); ++ms) {
        seen += buckets_[ms];
        if (seen >= std::max<std::uint64_t>(rank, 1)) return static_cast<std::int64_t>(ms);
    }
    return static_cast<std::int64_t>(exact);
}

std::string AgeHistogram::summary() const {
    if (count_ == 0) return "";
    auto show = [](std::int64_t ms) {
        return ms >= static_cast<std::int64_t>(exact) ? std::string(">10s") : fmt::format("{}ms", ms);
    };
    return fmt::format("p50={} p99={} max={}ms", show(percentile(0.50)), show(percentile(0.99)), max_);
}

}  // namespace playstream::pipeline
