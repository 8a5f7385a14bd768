#include "kafka/consumer_stats.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <simdjson.h>

namespace playstream::kafka {

std::optional<ConsumerStats> parse_consumer_stats(std::string_view json, std::string_view topic) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(json.data(), json.size()).get(root)) return std::nullopt;
    ConsumerStats stats;
    simdjson::dom::object brokers;
    if (!root["brokers"].get(brokers)) {
        for (auto [name, broker] : brokers) {
            // Only real brokers (nodeid >= 0): bootstrap and logical brokers (the coordinator) repeat them.
            std::int64_t node = -1;
            std::string_view state;
            if (!broker["nodeid"].get(node) && node >= 0 && !broker["state"].get(state) && state == "UP") {
                ++stats.brokers_up;
            }
        }
    }
    simdjson::dom::object partitions;
    if (root["topics"][topic]["partitions"].get(partitions)) return stats;  // topic not known yet
    for (auto [key, partition] : partitions) {
        std::int32_t id = -1;
        auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), id);
        if (error != std::errc() || id < 0) continue;  // -1: librdkafka's unassigned-messages queue
        std::string_view fetch_state;
        std::int64_t lag = -1;
        // "none": a partition of the topic this member does not fetch; lag -1: not known yet
        // (no committed offset or no end offset).
        if (partition["fetch_state"].get(fetch_state) || fetch_state == "none") continue;
        if (partition["consumer_lag"].get(lag) || lag < 0) continue;
        stats.lag.push_back({id, lag});
    }
    std::sort(stats.lag.begin(), stats.lag.end(), [](const auto& a, const auto& b) { return a.partition < b.partition; });
    return stats;
}

}  // namespace playstream::kafka
