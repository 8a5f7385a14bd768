#include <gtest/gtest.h>

#include "pipeline/age_histogram.hpp"

namespace playstream::pipeline {
namespace {

TEST(AgeHistogram, PercentilesOfKnownAges) {
    AgeHistogram h;
    for (int ms = 1; ms <= 100; ++ms) h.record(ms);
    EXPECT_EQ(h.count(), 100u);
    EXPECT_EQ(h.percentile(0.50), 50);
    EXPECT_EQ(h.percentile(0.99), 99);
    EXPECT_EQ(h.summary(), "p50=50ms p99=99ms max=100ms");
}

TEST(AgeHistogram, OldAndNegativeAgesAreClamped) {
    AgeHistogram h;
    h.record(-5);  // a producer clock slightly ahead
    h.record(60000);
    EXPECT_EQ(h.percentile(0.5), 0);
    EXPECT_EQ(h.percentile(1.0), 10000);
    EXPECT_EQ(h.summary(), "p50=0ms p99=>10s max=60000ms");
    EXPECT_EQ(AgeHistogram().summary(), "");
}

TEST(AgeHistogram, CountsAtMostAnAgeAndSums) {
    AgeHistogram h;
    for (std::int64_t ms : {0, 5, 5, 6, 9999, 10000, 20000}) h.record(ms);
    EXPECT_EQ(h.count_at_most(-1), 0u);
    EXPECT_EQ(h.count_at_most(0), 1u);
    EXPECT_EQ(h.count_at_most(5), 3u);  // "at most": 5 ms counts under le=0.005
    EXPECT_EQ(h.count_at_most(6), 4u);
    EXPECT_EQ(h.count_at_most(9999), 5u);
    EXPECT_EQ(h.count_at_most(10000), 5u);  // 10 s and older share one bucket: not "at most 10 s"
    EXPECT_EQ(h.sum_ms(), 0 + 5 + 5 + 6 + 9999 + 10000 + 20000);
}

}  // namespace
}  // namespace playstream::pipeline
