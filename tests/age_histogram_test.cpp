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

}  // namespace
}  // namespace playstream::pipeline
