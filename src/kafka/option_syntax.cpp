#include "kafka/option_syntax.hpp"

#include <charconv>

#include <fmt/format.h>

#include "util/error.hpp"

namespace playstream::kafka {

TopicSpec parse_topic_spec(std::string_view spec) {
    const auto colon = spec.rfind(':');
    TopicSpec topic;
    if (colon != std::string_view::npos && colon != 0) {
        const char* end = spec.data() + spec.size();
        const auto [stop, ec] = std::from_chars(spec.data() + colon + 1, end, topic.partitions);
        if (ec == std::errc() && stop == end && topic.partitions > 0) {
            topic.name = spec.substr(0, colon);
            return topic;
        }
    }
    throw UsageError(fmt::format("broker --topic '{}': expected NAME:PARTITIONS", spec));
}

std::pair<std::string, std::string> parse_setting(std::string_view pair) {
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0)
        throw UsageError("expected KEY=VALUE");  // never echoed: without '=' the key may be a secret
    return {std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1))};
}

}  // namespace playstream::kafka
