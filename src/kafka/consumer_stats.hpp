#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace playstream::kafka {

struct PartitionLag {
    std::int32_t partition = 0;
    std::int64_t lag = 0;  // messages from the group's committed offset to the partition's end
};

// What librdkafka's statistics (STATISTICS.md, every statistics.interval.ms) tell of a consumer.
struct ConsumerStats {
    std::vector<PartitionLag> lag;  // the partitions this member fetches whose lag is known
    int brokers_up = 0;             // brokers with an open connection (state UP)
    // Since when no broker has been up; nullopt while one is (or before the first statistics).
    std::optional<std::chrono::steady_clock::time_point> brokers_down_since;
};

// Reads `consumer_lag` of each fetched partition of `topic` and the brokers' states from one
// statistics JSON document. nullopt when the document cannot be read.
std::optional<ConsumerStats> parse_consumer_stats(std::string_view json, std::string_view topic);

}  // namespace playstream::kafka
