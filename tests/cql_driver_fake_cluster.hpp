#pragma once

// A fake cluster of fake nodes on loopback (cql_driver_fake_node.hpp), each told the others as
// its peers, and the session options the driver's tests connect with.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cql/driver/session.hpp"
#include "cql_driver_fake_node.hpp"

namespace playstream::cql::fake {

// Whether `pred` holds within 5 s.
template <class Pred>
inline bool eventually(Pred pred) {
    for (int i = 0; i < 500 && !pred(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return pred();
}

class FakeCluster {
public:
    // Node i owns tokens[i]; all listen on `addresses[i]` (127.0.0.1 with distinct ports unless given).
    explicit FakeCluster(std::vector<std::vector<std::int64_t>> tokens, std::vector<std::string> addresses = {}) {
        std::uint16_t shared_port = 0;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const auto address = addresses.empty() ? "127.0.0.1" : addresses[i];
            nodes.push_back(std::make_unique<Node>(address, addresses.empty() ? 0 : shared_port));
            if (!addresses.empty()) shared_port = nodes[0]->port();
            nodes.back()->spec.tokens = tokens[i];
        }
    }
    // Tells each node its peers as their specs are now, and starts them.
    void start() {
        for (auto& n : nodes)
            for (auto& other : nodes)
                if (other != n) n->peers.push_back(other->spec);
        for (auto& n : nodes) n->start();
    }
    cql::driver::SessionOptions options() const {
        cql::driver::SessionOptions o;
        o.contact_points = {nodes[0]->endpoint()};
        o.request_timeout = std::chrono::seconds(3);
        o.retry.base_delay = std::chrono::milliseconds(5);
        o.reconnect = {std::chrono::milliseconds(50), std::chrono::milliseconds(200)};
        return o;
    }
    // The node owning `token`, computed here from the nodes' specs.
    std::string owner(std::int64_t token) const {
        std::vector<std::pair<std::int64_t, std::size_t>> ring;
        for (std::size_t i = 0; i < nodes.size(); ++i)
            for (const auto t : nodes[i]->spec.tokens) ring.emplace_back(t, i);
        std::sort(ring.begin(), ring.end());
        for (const auto& [t, node] : ring)
            if (t >= token) return nodes[node]->endpoint();
        return nodes[ring.front().second]->endpoint();
    }

    std::vector<std::unique_ptr<Node>> nodes;
};

inline const std::vector<std::vector<std::int64_t>> one_node{{0}};
inline const std::vector<std::vector<std::int64_t>> three_nodes{
    {-6'000'000'000'000'000'000, 1'000'000'000'000'000'000},
    {-3'000'000'000'000'000'000, 4'000'000'000'000'000'000},
    {0, 7'000'000'000'000'000'000}};

}  // namespace playstream::cql::fake
