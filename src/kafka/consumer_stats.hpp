#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "pipeline/source.hpp"

namespace playstream::kafka {

using pipeline::PartitionLag;

// What librdkafka's statistics (STATISTICS.md, every statistics.interval.ms) tell of a consumer.
struct ConsumerStats {
    std::vector<PartitionLag> lag;  // the partitions this member fetches whose lag is known
    int brokers_up = 0;             // brokers with an open connection (state UP)
};

// Reads `consumer_lag` of each fetched partition of `topic` and the brokers' states from one
// statistics JSON document. nullopt when the document cannot be read.
std::optional<ConsumerStats> parse_consumer_stats(std::string_view json, std::string_view topic);

}  // namespace playstream::kafka
