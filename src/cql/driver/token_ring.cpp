#include "cql/driver/token_ring.hpp"

#include <algorithm>

namespace playstream::cql::driver {

TokenRing::TokenRing(std::vector<std::pair<std::int64_t, std::size_t>> tokens) : ring_(std::move(tokens)) {
    std::sort(ring_.begin(), ring_.end());
    std::vector<std::size_t> nodes;
    for (const auto& t : ring_) nodes.push_back(t.second);
    std::sort(nodes.begin(), nodes.end());
    nodes_ = static_cast<std::size_t>(std::unique(nodes.begin(), nodes.end()) - nodes.begin());
}

NodeList TokenRing::replicas(std::int64_t token, std::size_t count) const {
    NodeList out;
    count = std::min(count, nodes_);
    if (count == 0) return out;
    const auto first = std::lower_bound(ring_.begin(), ring_.end(), std::pair{token, std::size_t{0}});
    const auto start = static_cast<std::size_t>(first - ring_.begin());
    for (std::size_t i = 0; i < ring_.size() && out.size() < count; ++i) {
        const auto node = ring_[(start + i) % ring_.size()].second;
        if (!out.contains(node)) out.push_back(node);
    }
    return out;
}

}  // namespace playstream::cql::driver
