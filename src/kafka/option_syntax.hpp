#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace playstream::kafka {

// `broker --topic NAME:PARTITIONS`: split at the last ':', PARTITIONS a decimal integer >= 1.
struct TopicSpec {
    std::string name;
    int partitions = 0;
};
// Throws UsageError naming the text when it is not NAME:PARTITIONS.
TopicSpec parse_topic_spec(std::string_view spec);

// `-X KEY=VALUE`: split at the first '=' (a value may hold more), KEY not empty. Throws
// UsageError naming the text otherwise.
std::pair<std::string, std::string> parse_setting(std::string_view pair);

}  // namespace playstream::kafka
