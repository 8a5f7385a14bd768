#pragma once

#include <algorithm>
#include <chrono>

namespace playstream::cql::driver {

// How soon a node whose connection dropped (or never opened) is tried again: base_delay after
// the first failure, doubling with each failure in a row, capped at max_delay. Meanwhile the node
// is down and requests go to the other nodes.
struct ReconnectPolicy {
    std::chrono::milliseconds base_delay{1000};
    std::chrono::milliseconds max_delay{60000};

    std::chrono::milliseconds delay(int failures) const {
        const auto doublings = std::clamp(failures - 1, 0, 20);
        return std::min(max_delay, base_delay * (std::int64_t{1} << doublings));
    }
};

}  // namespace playstream::cql::driver
