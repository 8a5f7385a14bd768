// A cluster that changes shape under a session: the control connection's events and refreshes
// keep the pool and the query plans in step with the nodes (fake nodes on loopback).
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>

#include "cql_driver_fake_cluster.hpp"

namespace cql = playstream::cql;
namespace driver = playstream::cql::driver;
namespace fake = playstream::cql::fake;
using driver::Statement;
using fake::eventually;
using namespace std::chrono_literals;

namespace {

class CqlDriverTopology : public ::testing::Test {
protected:
    CqlDriverTopology() : cluster_(fake::three_nodes) {}

    driver::Session connect(driver::SessionOptions o) {
        cluster_.start();
        return driver::Session::connect(o);
    }
    driver::SessionOptions options() const {
        auto o = cluster_.options();
        o.topology_event_delay = 20ms;
        o.topology_refresh_interval = 1h;  // only events move the session, unless a test says otherwise
        return o;
    }

    // A 4th node, started, owning tokens the others do not. Not yet anyone's peer.
    fake::Node& fourth_node() {
        cluster_.nodes.push_back(std::make_unique<fake::Node>());
        auto& n = *cluster_.nodes.back();
        n.spec.tokens = {-1'500'000'000'000'000'000, 5'500'000'000'000'000'000};
        for (std::size_t i = 0; i + 1 < cluster_.nodes.size(); ++i) n.peers.push_back(cluster_.nodes[i]->spec);
        n.start();
        return n;
    }
    // Every node's peers are the nodes of `cluster_.nodes` but those in `without`.
    void set_peers(const std::vector<const fake::Node*>& without = {}) {
        for (auto& n : cluster_.nodes) {
            std::vector<fake::NodeSpec> peers;
            for (auto& other : cluster_.nodes)
                if (other != n && std::find(without.begin(), without.end(), other.get()) == without.end())
                    peers.push_back(other->spec);
            n->set_peers(peers);
        }
    }
    static cql::Bytes event(const std::string& type, const std::string& change, const fake::Node& about) {
        return fake::reply::node_event(type, change, about.spec.address, about.port());
    }

    Statement insert(const std::shared_ptr<const driver::PreparedStatement>& p, int i) {
        Statement s(p, {cql::to_value("user" + std::to_string(i)), cql::to_value(std::int32_t{i})});
        s.idempotent = true;
        return s;
    }
    // The session's view of `node`; std::nullopt when it does not use it.
    static std::optional<driver::NodeStatus> status(const driver::Session& session, const fake::Node& node) {
        for (const auto& n : session.nodes())
            if (n.endpoint.to_string() == node.endpoint()) return n;
        return std::nullopt;
    }
    // Coordinators of `count` round-robin queries.
    static std::map<std::string, int> round_robin(driver::Session& session, int count) {
        std::map<std::string, int> per_node;
        for (int i = 0; i < count; ++i)
            ++per_node[session.execute(Statement("INSERT INTO ks.t (pk) VALUES ('a')")).coordinator()];
        return per_node;
    }

    fake::FakeCluster cluster_;
};

TEST_F(CqlDriverTopology, ANodeAddedByAnEventGetsItsShareOfWrites) {
    auto session = connect(options());
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    auto& added = fourth_node();
    set_peers();
    EXPECT_EQ(cluster_.nodes[0]->push_event(event("TOPOLOGY_CHANGE", "NEW_NODE", added)), 1) << "one control connection";
    ASSERT_TRUE(eventually([&] { return session.nodes().size() == 4 && session.nodes()[3].up; }));
    EXPECT_EQ(session.nodes()[3].endpoint.to_string(), added.endpoint());
    int owned = 0;
    for (int i = 0; i < 200; ++i) {
        const auto s = insert(p, i);
        const auto coordinator = session.execute(s).coordinator();
        ASSERT_EQ(coordinator, cluster_.owner(*s.routing_token())) << "insert " << i << " routed by the new ring";
        owned += coordinator == added.endpoint() ? 1 : 0;
    }
    EXPECT_GT(owned, 0);
    EXPECT_GT(round_robin(session, 40)[added.endpoint()], 0) << "a coordinator of unrouted queries too";
}

TEST_F(CqlDriverTopology, ANodeRemovedByAnEventIsDropped) {
    auto session = connect(options());
    auto& removed = *cluster_.nodes[2];
    set_peers({&removed});
    cluster_.nodes[0]->push_event(event("TOPOLOGY_CHANGE", "REMOVED_NODE", removed));
    ASSERT_TRUE(eventually([&] { return session.nodes().size() == 2; }));
    for (const auto& n : session.nodes()) EXPECT_NE(n.endpoint.to_string(), removed.endpoint());
    EXPECT_TRUE(eventually([&] { return removed.hangups.load() == 1; })) << "its connection is closed";
    const auto queries = removed.queries.load();
    const auto per_node = round_robin(session, 20);
    EXPECT_EQ(per_node.size(), 2u);
    EXPECT_EQ(per_node.count(removed.endpoint()), 0u);
    EXPECT_EQ(removed.queries.load(), queries);
    std::this_thread::sleep_for(300ms);  // past the reconnect policy's delays: not retried
    EXPECT_EQ(removed.connections.load(), 1);
}

TEST_F(CqlDriverTopology, ANodeReportedDownIsSkippedAtOnceThenRetriedByTheReconnectPolicy) {
    auto o = options();
    o.reconnect = {500ms, 500ms};
    auto session = connect(o);
    auto& down = *cluster_.nodes[1];
    cluster_.nodes[0]->push_event(event("STATUS_CHANGE", "DOWN", down));
    ASSERT_TRUE(eventually([&] { return !session.nodes()[1].up; }));
    const auto per_node = round_robin(session, 20);
    EXPECT_EQ(per_node.count(down.endpoint()), 0u) << "skipped while down";
    EXPECT_EQ(per_node.size(), 2u);
    // The node did not really go away: the policy's next attempt finds it.
    ASSERT_TRUE(eventually([&] { return session.nodes()[1].up; }));
    EXPECT_EQ(down.connections.load(), 2);
    EXPECT_GT(round_robin(session, 30)[down.endpoint()], 0);
}

TEST_F(CqlDriverTopology, ANodeReportedUpIsTriedAtOnce) {
    auto o = options();
    o.reconnect = {30s, 30s};
    auto session = connect(o);
    auto& node = *cluster_.nodes[2];
    cluster_.nodes[0]->push_event(event("STATUS_CHANGE", "DOWN", node));
    ASSERT_TRUE(eventually([&] { return !session.nodes()[2].up; }));
    cluster_.nodes[0]->push_event(event("STATUS_CHANGE", "UP", node));
    EXPECT_TRUE(eventually([&] { return session.nodes()[2].up; })) << "not 30 s later";
}

TEST_F(CqlDriverTopology, TheControlConnectionMovesWhenItsNodeGoesAway) {
    auto session = connect(options());
    auto& first = *cluster_.nodes[0];
    ASSERT_EQ(session.control_node(), first.endpoint());
    // Node 0 goes away: it hangs up on every connection, old and new.
    first.set_hook([](fake::Peer& peer, const fake::Request&) {
        peer.close();
        return true;
    });
    first.disconnect_all();
    ASSERT_TRUE(eventually([&] { return session.control_node() != first.endpoint(); }));
    EXPECT_EQ(session.control_node(), cluster_.nodes[1]->endpoint()) << "the next node of the topology";
    // Events now come from the new node, and are followed.
    auto& added = fourth_node();
    set_peers();
    EXPECT_EQ(cluster_.nodes[1]->push_event(event("TOPOLOGY_CHANGE", "NEW_NODE", added)), 1);
    ASSERT_TRUE(eventually([&] { return status(session, added) && status(session, added)->up; }));
    ASSERT_TRUE(status(session, first)) << "node 0 is still a peer";
    EXPECT_FALSE(status(session, first)->up);
    EXPECT_GT(round_robin(session, 30)[added.endpoint()], 0);
}

TEST_F(CqlDriverTopology, TheControlConnectionMovesWhenItsNodeCannotAnswerARead) {
    auto o = options();
    o.topology_refresh_interval = 100ms;
    auto session = connect(o);
    auto& first = *cluster_.nodes[0];
    ASSERT_EQ(session.control_node(), first.endpoint());
    // Node 0 keeps its connections open but fails every read of its system tables (as a node
    // that hangs would time them out): no place to watch the cluster from.
    first.set_hook([](fake::Peer& peer, const fake::Request& r) {
        if (r.opcode != cql::Opcode::Query || r.cql().find("FROM system.") == std::string::npos) return false;
        peer.reply(r, cql::Opcode::Error, fake::reply::error(cql::response::ErrorCode::ServerError, "injected"));
        return true;
    });
    ASSERT_TRUE(eventually([&] { return session.control_node() != first.endpoint(); }))
        << "still on the node that cannot answer";
    // From the new node, a node added later is found by the periodic read.
    auto& added = fourth_node();
    set_peers();
    EXPECT_TRUE(eventually([&] { return status(session, added) && status(session, added)->up; }));
}

TEST_F(CqlDriverTopology, APeriodicRefreshFindsANodeNoEventAnnounced) {
    auto o = options();
    o.topology_refresh_interval = 100ms;
    auto session = connect(o);
    auto& added = fourth_node();
    set_peers();
    ASSERT_TRUE(eventually([&] { return session.nodes().size() == 4 && session.nodes()[3].up; }));
    EXPECT_EQ(session.nodes()[3].endpoint.to_string(), added.endpoint());
}

}  // namespace
