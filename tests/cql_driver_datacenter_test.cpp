// Two datacenters of fake nodes: requests go to the local datacenter's nodes only, the session's
// per-node request counters say so and agree with what each node received, and a local
// datacenter the cluster does not have is an error naming the ones it has.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "cql_driver_fake_cluster.hpp"

namespace cql = playstream::cql;
namespace driver = playstream::cql::driver;
namespace fake = playstream::cql::fake;
using driver::Statement;
using fake::eventually;
using namespace std::chrono_literals;

namespace {

// Nodes 0 and 1 in dc1, node 2 in dc2; the contact point is node 0.
class CqlDriverDatacenters : public ::testing::Test {
protected:
    CqlDriverDatacenters() : cluster_(fake::three_nodes) {
        cluster_.nodes[2]->spec.datacenter = "dc2";
        cluster_.start();
    }

    driver::SessionOptions options(const std::string& local_dc) const {
        auto o = cluster_.options();
        o.local_datacenter = local_dc;
        o.topology_refresh_interval = 1h;
        return o;
    }

    // Prepared inserts of 300 keys, spread over the whole ring (node 2 owns a third of it), then
    // 30 unprepared statements (round robin).
    static void write(driver::Session& session) {
        const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
        for (int i = 0; i < 300; ++i) {
            Statement s(p, {cql::to_value("user" + std::to_string(i)), cql::to_value(std::int32_t{i})});
            s.idempotent = true;
            session.execute(s);
        }
        for (int i = 0; i < 30; ++i) session.execute(Statement("INSERT INTO ks.t (pk) VALUES ('a')"));
    }

    // The session's request counter of each node it uses.
    static std::map<std::string, std::uint64_t> counters(const driver::Session& session) {
        std::map<std::string, std::uint64_t> out;
        for (const auto& n : session.nodes()) out[n.endpoint.to_string()] = n.requests;
        return out;
    }

    // What node i received from the pool: its prepares and executes, and the unprepared
    // statements past `control_queries` (the control connection's reads of system tables).
    int received(std::size_t i, int control_queries) const {
        const auto& n = *cluster_.nodes[i];
        return n.prepares.load() + n.executes.load() + n.queries.load() - control_queries;
    }

    fake::FakeCluster cluster_;
};

TEST_F(CqlDriverDatacenters, NoRequestReachesTheRemoteDatacenterByDefault) {
    auto session = driver::Session::connect(options(""));  // the contact point's: dc1
    const int control_queries = cluster_.nodes[0]->queries.load();
    write(session);

    const auto count = counters(session);
    ASSERT_EQ(count.size(), 2u) << "only dc1's nodes are used";
    const auto n0 = count.at(cluster_.nodes[0]->endpoint());
    const auto n1 = count.at(cluster_.nodes[1]->endpoint());
    EXPECT_EQ(n0 + n1, 2u + 300u + 30u) << "a prepare on each node, 300 executes, 30 queries";
    EXPECT_GT(n0, 100u);
    EXPECT_GT(n1, 100u);
    // The counters are what the nodes saw.
    EXPECT_EQ(static_cast<int>(n0), received(0, control_queries));
    EXPECT_EQ(static_cast<int>(n1), received(1, 0));
    // dc2's node got nothing, not even a connection, though it owns a third of the tokens.
    EXPECT_EQ(cluster_.nodes[2]->connections.load(), 0);
    EXPECT_EQ(cluster_.nodes[2]->executes.load() + cluster_.nodes[2]->prepares.load(), 0);
    EXPECT_EQ(session.control_node(), cluster_.nodes[0]->endpoint());
}

TEST_F(CqlDriverDatacenters, TheLocalDatacenterOptionSendsEverythingThere) {
    auto session = driver::Session::connect(options("dc2"));  // contact point in dc1
    // The control connection left the contact point for dc2's node, so dc1 hears nothing more.
    EXPECT_EQ(session.control_node(), cluster_.nodes[2]->endpoint());
    ASSERT_TRUE(eventually([&] { return cluster_.nodes[0]->hangups.load() == cluster_.nodes[0]->connections.load(); }));
    const int queries_before[] = {cluster_.nodes[0]->queries.load(), cluster_.nodes[1]->queries.load()};
    const int control_queries = cluster_.nodes[2]->queries.load();
    write(session);

    const auto count = counters(session);
    ASSERT_EQ(count.size(), 1u);
    EXPECT_EQ(count.at(cluster_.nodes[2]->endpoint()), 1u + 300u + 30u);
    EXPECT_EQ(static_cast<int>(count.at(cluster_.nodes[2]->endpoint())), received(2, control_queries));
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(cluster_.nodes[i]->executes.load() + cluster_.nodes[i]->prepares.load(), 0) << "node " << i;
        EXPECT_EQ(cluster_.nodes[i]->queries.load(), queries_before[i]) << "node " << i;
    }
}

TEST_F(CqlDriverDatacenters, AnUnknownLocalDatacenterNamesTheOnesThereAre) {
    try {
        driver::Session::connect(options("dc3"));
        FAIL() << "connected to a datacenter the cluster does not have";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("no node in datacenter 'dc3'"), std::string::npos) << what;
        EXPECT_NE(what.find("'dc1' (2 nodes), 'dc2' (1 node)"), std::string::npos) << what;
        EXPECT_NE(what.find(cluster_.nodes[0]->endpoint()), std::string::npos) << what;
    }
}

}  // namespace
