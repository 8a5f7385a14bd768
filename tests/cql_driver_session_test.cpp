// The session over a fake cluster of three nodes on loopback: discovery, token-aware routing,
// round robin, re-preparing, the retry policy, a node going down and coming back, backpressure
// and paging.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <thread>

#include "cql/driver/murmur3.hpp"
#include "cql/driver/session.hpp"
#include "cql_driver_fake_cluster.hpp"

namespace cql = playstream::cql;
namespace driver = playstream::cql::driver;
namespace fake = playstream::cql::fake;
using cql::Opcode;
using cql::response::ErrorCode;
using driver::Statement;
using fake::eventually;
using fake::FakeCluster;
using fake::one_node;
using fake::three_nodes;
using namespace std::chrono_literals;

namespace {

// Answers EXECUTE with `error` on one node, counting how many it saw.
fake::Node::Hook failing_execute(ErrorCode code, std::atomic<int>& seen) {
    return [code, &seen](fake::Peer& peer, const fake::Request& r) {
        if (r.opcode != Opcode::Execute) return false;
        ++seen;
        peer.reply(r, Opcode::Error, fake::reply::error(code, "injected"));
        return true;
    };
}

class CqlDriverSession : public ::testing::Test {
protected:
    CqlDriverSession() : cluster_(three_nodes) {}

    driver::Session connect() {
        cluster_.start();
        return driver::Session::connect(cluster_.options());
    }

    Statement insert(const std::shared_ptr<const driver::PreparedStatement>& p, int i, bool idempotent = true) {
        Statement s(p, {cql::to_value("user" + std::to_string(i)), cql::to_value(std::int32_t{i})});
        s.idempotent = idempotent;
        return s;
    }

    // Row i's values (as insert's) added to a batch.
    static void add_row(Statement& batch, int i) {
        batch.values.add("user" + std::to_string(i));
        batch.values.add(std::int32_t{i});
        batch.end_batch_row();
    }

    // The node that must coordinate `s`, and the one after it on the ring.
    std::string owner(const Statement& s) const { return cluster_.owner(*s.routing_token()); }

    FakeCluster cluster_;
};

TEST_F(CqlDriverSession, DiscoversEveryNodeThroughPeersV2) {
    auto session = connect();
    const auto nodes = session.nodes();
    ASSERT_EQ(nodes.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(nodes[i].endpoint.to_string(), cluster_.nodes[i]->endpoint());
        EXPECT_EQ(nodes[i].datacenter, "dc1");
        EXPECT_TRUE(nodes[i].up);
    }
}

TEST(CqlDriverSessionDiscovery, FallsBackToSystemPeersWithoutPeersV2) {
    FakeCluster cluster(three_nodes, {"127.0.0.1", "127.0.0.2", "127.0.0.3"});
    for (auto& n : cluster.nodes) n->has_peers_v2 = false;
    cluster.start();
    auto session = driver::Session::connect(cluster.options());
    const auto nodes = session.nodes();
    ASSERT_EQ(nodes.size(), 3u);
    EXPECT_EQ(nodes[1].endpoint.to_string(), "127.0.0.2:" + std::to_string(cluster.nodes[0]->port()));
    EXPECT_TRUE(nodes[2].up);
}

TEST(CqlDriverSessionDiscovery, UsesOnlyTheLocalDatacenter) {
    FakeCluster cluster(three_nodes);
    cluster.nodes[2]->spec.datacenter = "dc2";
    cluster.start();
    auto session = driver::Session::connect(cluster.options());
    EXPECT_EQ(session.nodes().size(), 2u);
    EXPECT_EQ(cluster.nodes[2]->connections.load(), 0);
}

TEST(CqlDriverSessionDiscovery, WrongPasswordFailsConnectNamingTheNode) {
    FakeCluster cluster(one_node);
    cluster.nodes[0]->credentials = {{"cassandra", "cassandra"}};
    cluster.start();
    auto o = cluster.options();
    o.user = "cassandra";
    o.password = "nope";
    try {
        driver::Session::connect(o);
        FAIL() << "connected with a wrong password";
    } catch (const driver::AuthenticationError& e) {
        EXPECT_NE(std::string(e.what()).find(cluster.nodes[0]->endpoint() + ": credentials rejected"), std::string::npos)
            << e.what();
    }
}

TEST_F(CqlDriverSession, SendsEachPreparedInsertToThePrimaryReplicaOfItsToken) {
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    EXPECT_EQ(p->prepared.pk_indexes, (std::vector<std::uint16_t>{0}));
    std::map<std::string, int> per_node;
    for (int i = 0; i < 300; ++i) {
        const auto s = insert(p, i);
        const auto r = session.execute(s);
        ASSERT_EQ(r.coordinator(), owner(s)) << "insert " << i;
        ++per_node[r.coordinator()];
    }
    EXPECT_EQ(per_node.size(), 3u) << "300 keys should spread over the three nodes";
}

TEST_F(CqlDriverSession, RoutesCompositePartitionKeysInKeyOrder) {
    // The key is (v, pk): bind marker 1 first.
    for (auto& n : cluster_.nodes) n->pk_indexes = {1, 0};
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    for (int i = 0; i < 100; ++i) {
        const auto s = insert(p, i);
        const auto v = std::get<cql::Bytes>(s.values.at(1));
        const auto pk = std::get<cql::Bytes>(s.values.at(0));
        const std::vector<cql::ByteView> key{v, pk};
        ASSERT_EQ(*s.routing_token(), driver::murmur3_token(driver::routing_key(key)));
        ASSERT_EQ(session.execute(s).coordinator(), owner(s));
    }
}

TEST_F(CqlDriverSession, SpreadsUnpreparedQueriesRoundRobin) {
    auto session = connect();
    std::map<std::string, int> per_node;
    for (int i = 0; i < 30; ++i) ++per_node[session.execute(Statement("INSERT INTO ks.t (pk) VALUES ('a')")).coordinator()];
    ASSERT_EQ(per_node.size(), 3u);
    for (const auto& [node, n] : per_node) EXPECT_EQ(n, 10) << node;
}

TEST_F(CqlDriverSession, PreparesAgainWhenTheNodeForgotTheStatement) {
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    for (auto& n : cluster_.nodes) EXPECT_EQ(n->prepares.load(), 1) << "prepared on every node";
    for (auto& n : cluster_.nodes) n->forget_prepared();
    const auto s = insert(p, 1, /*idempotent=*/false);
    EXPECT_EQ(session.execute(s).coordinator(), owner(s));
    int reprepared = 0;
    for (auto& n : cluster_.nodes) reprepared += n->prepares.load() - 1;
    EXPECT_EQ(reprepared, 1);
}

// A node that prepares the statement again under another id (its text or the table changed):
// the request goes out again with the new id and still every bound value.
TEST_F(CqlDriverSession, ResendsWithTheNewIdAndTheSameValuesWhenThePreparedIdChanges) {
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    const cql::Bytes new_id = fake::reply::text("id:v2");
    std::mutex m;
    std::vector<std::vector<std::optional<cql::Bytes>>> executed_with_new_id;
    for (auto& n : cluster_.nodes) {
        n->set_hook([&](fake::Peer& peer, const fake::Request& r) {
            if (r.opcode == Opcode::Prepare) {
                peer.reply(r, Opcode::Result, fake::reply::prepared(new_id, {0}, 2));
                return true;
            }
            if (r.opcode != Opcode::Execute) return false;
            auto [id, values] = r.execute();
            if (id != new_id) {
                peer.reply(r, Opcode::Error, fake::reply::unprepared(id));
                return true;
            }
            std::lock_guard lock(m);
            executed_with_new_id.push_back(values);
            peer.reply(r, Opcode::Result, fake::reply::void_result());
            return true;
        });
    }
    session.execute(insert(p, 7));
    std::lock_guard lock(m);
    ASSERT_EQ(executed_with_new_id.size(), 1u);
    const auto& values = executed_with_new_id[0];
    ASSERT_EQ(values.size(), 2u);
    EXPECT_EQ(values[0], std::get<cql::Bytes>(cql::to_value("user7")));
    EXPECT_EQ(values[1], std::get<cql::Bytes>(cql::to_value(std::int32_t{7})));
}

// Rows sent as one batch (Statement::batch_ends): one BATCH request, coordinated by the owner of its
// first row, carrying each row's values in order.
TEST_F(CqlDriverSession, ABatchOfRowsIsOneRequestRoutedByItsFirstRow) {
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    std::mutex m;
    std::vector<std::vector<std::optional<cql::Bytes>>> rows;
    for (auto& n : cluster_.nodes) {
        n->set_hook([&](fake::Peer&, const fake::Request& r) {
            if (r.opcode != Opcode::Batch) return false;
            std::lock_guard lock(m);
            for (auto& [id, values] : r.batch()) rows.push_back(values);
            return false;  // the node answers as usual
        });
    }
    for (int first : {3, 40, 77}) {
        Statement batch(p, {});
        for (int i = first; i < first + 3; ++i) add_row(batch, i);
        const auto expected = owner(insert(p, first));
        EXPECT_EQ(batch.routing_token(), insert(p, first).routing_token());
        EXPECT_EQ(session.execute(std::move(batch)).coordinator(), expected) << "batch from " << first;
    }
    // Values that are not whole rows of the statement are refused before anything is sent: too
    // few for two rows, or the right number split 3 and 1.
    Statement short_row(p, {});
    add_row(short_row, 1);
    short_row.values.add("user2");
    short_row.end_batch_row();
    EXPECT_THROW(session.execute(std::move(short_row)), std::invalid_argument);
    Statement uneven(p, {});
    add_row(uneven, 1);
    uneven.batch_ends.clear();
    uneven.values.add("user2");
    uneven.end_batch_row();
    uneven.values.add(std::int32_t{2});
    uneven.end_batch_row();
    EXPECT_THROW(session.execute(std::move(uneven)), std::invalid_argument);
    int executes = 0, batches = 0;
    for (auto& n : cluster_.nodes) {
        executes += n->executes.load();
        batches += n->batches.load();
    }
    EXPECT_EQ(executes, 0);
    EXPECT_EQ(batches, 3);
    std::lock_guard lock(m);
    ASSERT_EQ(rows.size(), 9u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const int n = std::vector<int>{3, 4, 5, 40, 41, 42, 77, 78, 79}[i];
        ASSERT_EQ(rows[i].size(), 2u);
        EXPECT_EQ(rows[i][0], std::get<cql::Bytes>(cql::to_value("user" + std::to_string(n))));
        EXPECT_EQ(rows[i][1], std::get<cql::Bytes>(cql::to_value(std::int32_t{n})));
    }
}

// A node that prepares the statement again under another id answers a batch's Unprepared: the
// batch goes out again with the new id in every statement, and every row's values.
TEST_F(CqlDriverSession, ResendsABatchWithTheNewIdInEveryStatement) {
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    const cql::Bytes new_id = fake::reply::text("id:v2");
    std::mutex m;
    std::vector<std::pair<cql::Bytes, std::vector<std::optional<cql::Bytes>>>> sent_with_new_id;
    for (auto& n : cluster_.nodes) {
        n->set_hook([&](fake::Peer& peer, const fake::Request& r) {
            if (r.opcode == Opcode::Prepare) {
                peer.reply(r, Opcode::Result, fake::reply::prepared(new_id, {0}, 2));
                return true;
            }
            if (r.opcode != Opcode::Batch) return false;
            auto statements = r.batch();
            if (statements.front().first != new_id) {
                peer.reply(r, Opcode::Error, fake::reply::unprepared(statements.front().first));
                return true;
            }
            std::lock_guard lock(m);
            sent_with_new_id = std::move(statements);
            peer.reply(r, Opcode::Result, fake::reply::void_result());
            return true;
        });
    }
    Statement batch(p, {});
    for (int i = 0; i < 3; ++i) add_row(batch, 7);
    add_row(batch, 8);
    session.execute(std::move(batch));
    std::lock_guard lock(m);
    ASSERT_EQ(sent_with_new_id.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(sent_with_new_id[i].first, new_id) << i;
        const int n = i == 3 ? 8 : 7;
        EXPECT_EQ(sent_with_new_id[i].second,
                  (std::vector<std::optional<cql::Bytes>>{std::get<cql::Bytes>(cql::to_value("user" + std::to_string(n))),
                                                          std::get<cql::Bytes>(cql::to_value(std::int32_t{n}))}));
    }
}

TEST_F(CqlDriverSession, RetriesAnIdempotentWriteOnTheNextReplica) {
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    const auto s = insert(p, 7);
    const auto plan = session.query_plan(s);
    ASSERT_EQ(plan[0], owner(s));
    std::atomic<int> seen{0};
    for (auto& n : cluster_.nodes)
        if (n->endpoint() == plan[0]) n->set_hook(failing_execute(ErrorCode::WriteTimeout, seen));
    EXPECT_EQ(session.execute(s).coordinator(), plan[1]);
    EXPECT_EQ(seen.load(), 1);
    // The failed attempt is counted against the node that answered it, by error, and only there.
    using Failures = std::vector<std::pair<std::string, std::uint64_t>>;
    for (const auto& n : session.nodes()) {
        const Failures expected = n.endpoint.to_string() == plan[0] ? Failures{{"write_timeout", 1}} : Failures{};
        EXPECT_EQ(n.failures, expected) << n.endpoint.to_string();
    }
}

TEST_F(CqlDriverSession, DoesNotRetryANonIdempotentWriteThatMayHaveHappened) {
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    const auto s = insert(p, 7, /*idempotent=*/false);
    std::atomic<int> seen{0};
    for (auto& n : cluster_.nodes) n->set_hook(failing_execute(ErrorCode::WriteTimeout, seen));
    try {
        session.execute(s);
        FAIL() << "no error";
    } catch (const driver::ServerError& e) {
        EXPECT_EQ(e.code(), ErrorCode::WriteTimeout);
        EXPECT_EQ(e.host(), owner(s));
        EXPECT_NE(std::string(e.what()).find("Write_timeout (0x1100): injected"), std::string::npos) << e.what();
    }
    EXPECT_EQ(seen.load(), 1);
}

TEST_F(CqlDriverSession, RetriesEvenANonIdempotentWriteTheCoordinatorRefused) {
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    const auto s = insert(p, 7, /*idempotent=*/false);
    const auto plan = session.query_plan(s);
    std::atomic<int> seen{0};
    for (auto& n : cluster_.nodes)
        if (n->endpoint() == plan[0]) n->set_hook(failing_execute(ErrorCode::Unavailable, seen));
    EXPECT_EQ(session.execute(s).coordinator(), plan[1]);
}

TEST_F(CqlDriverSession, GivesUpAfterMaxAttemptsWithTheLastError) {
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    std::atomic<int> seen{0};
    for (auto& n : cluster_.nodes) n->set_hook(failing_execute(ErrorCode::Overloaded, seen));
    EXPECT_THROW(session.execute(insert(p, 3)), driver::ServerError);
    EXPECT_EQ(seen.load(), 3);  // RetryPolicy::max_attempts
}

TEST_F(CqlDriverSession, ClientTimeoutRetriesIdempotentStatementsElsewhere) {
    cluster_.start();
    auto o = cluster_.options();
    o.request_timeout = 1s;
    auto session = driver::Session::connect(o);
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    const auto s = insert(p, 11);
    const auto plan = session.query_plan(s);
    for (auto& n : cluster_.nodes)
        if (n->endpoint() == plan[0])
            n->set_hook([](fake::Peer&, const fake::Request& r) { return r.opcode == Opcode::Execute; });  // never answers
    EXPECT_EQ(session.execute(s).coordinator(), plan[1]);
    EXPECT_THROW(session.execute(insert(p, 11, false)), driver::TimeoutError);
}

TEST_F(CqlDriverSession, RoutesAroundADownNodeAndReconnectsToIt) {
    auto session = connect();
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    auto& victim = *cluster_.nodes[1];
    // It hangs up on every new connection until the hook goes.
    victim.set_hook([](fake::Peer& peer, const fake::Request&) {
        peer.close();
        return true;
    });
    victim.disconnect_all();
    ASSERT_TRUE(eventually([&] { return !session.nodes()[1].up; }));
    int rerouted = 0;
    for (int i = 0; i < 60; ++i) {
        const auto s = insert(p, i, /*idempotent=*/false);
        const auto r = session.execute(s);
        EXPECT_NE(r.coordinator(), victim.endpoint());
        if (owner(s) == victim.endpoint()) {
            ++rerouted;
            EXPECT_EQ(r.coordinator(), session.query_plan(s)[1]) << "the next replica";
        }
    }
    EXPECT_GT(rerouted, 0);
    victim.set_hook(nullptr);
    ASSERT_TRUE(eventually([&] { return session.nodes()[1].up; })) << "reconnected with backoff";
    for (int i = 0;; ++i) {
        const auto s = insert(p, i);
        if (owner(s) != victim.endpoint()) continue;
        EXPECT_EQ(session.execute(s).coordinator(), victim.endpoint());  // prepared again there
        break;
    }
}

// Past the cap a request waits in the session's queue, not in the caller's thread: execute_async
// returns at once, and the queued requests go in order as answers free slots.
TEST(CqlDriverSessionBackpressure, ExecuteAsyncQueuesPastTheCapWithoutBlocking) {
    FakeCluster cluster(one_node);
    std::mutex m;
    std::vector<std::pair<fake::Peer*, fake::Request>> held;
    cluster.nodes[0]->set_hook([&](fake::Peer& peer, const fake::Request& r) {
        if (r.opcode != Opcode::Query || !r.cql().starts_with("INSERT held")) return false;
        std::lock_guard lock(m);
        held.emplace_back(&peer, r);
        return true;
    });
    cluster.start();
    auto o = cluster.options();
    o.max_in_flight_per_connection = 2;
    auto session = driver::Session::connect(o);
    std::vector<std::future<driver::Result>> answers;
    auto sent = std::async(std::launch::async, [&] {
        for (int i = 0; i < 4; ++i) answers.push_back(session.execute_async(Statement("INSERT held " + std::to_string(i))));
    });
    ASSERT_EQ(sent.wait_for(2s), std::future_status::ready) << "execute_async must not wait for room";
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(m);
        return held.size() == 2;
    }));
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(session.nodes()[0].in_flight, 2u) << "the cap holds";  // what /metrics shows per node
    auto reply = [&](std::size_t i) {
        std::lock_guard lock(m);
        held[i].first->reply(held[i].second, Opcode::Result, fake::reply::void_result());
    };
    {
        std::lock_guard lock(m);
        ASSERT_EQ(held.size(), 2u) << "the other two wait in the queue";
    }
    reply(0);
    answers[0].get();
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(m);
        return held.size() == 3;
    }));
    EXPECT_EQ(answers[2].wait_for(0s), std::future_status::timeout);
    reply(1);
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(m);
        return held.size() == 4;
    }));
    for (std::size_t i = 2; i < 4; ++i) {
        reply(i);
        std::lock_guard lock(m);
        EXPECT_EQ(held[i].second.cql(), "INSERT held " + std::to_string(i)) << "first in, first out";
    }
    for (std::size_t i = 1; i < answers.size(); ++i) EXPECT_NO_THROW(answers[i].get()) << i;
    EXPECT_TRUE(eventually([&] { return session.nodes()[0].in_flight == 0; }));
}

// The node answers every QUERY of `cql` at once, counting them in `seen` when given.
void answer_at_once(fake::Node& node, std::string cql, std::atomic<int>* seen = nullptr) {
    node.set_hook([cql = std::move(cql), seen](fake::Peer& peer, const fake::Request& r) {
        if (r.opcode != Opcode::Query || r.cql() != cql) return false;
        if (seen != nullptr) ++*seen;
        peer.reply(r, Opcode::Result, fake::reply::void_result());
        return true;
    });
}

// A request that waits in the queue for the request timeout fails as busy (transient, not sent),
// even while no answer comes to serve the queue: here the one slot is held by a batch's request
// not yet sent, so nothing times out on the node.
TEST(CqlDriverSessionBackpressure, AQueuedRequestFailsAsBusyAfterTheRequestTimeout) {
    FakeCluster cluster(one_node);
    answer_at_once(*cluster.nodes[0], "INSERT quick");
    cluster.start();
    auto o = cluster.options();
    o.max_in_flight_per_connection = 1;
    o.request_timeout = 300ms;
    auto session = driver::Session::connect(o);
    std::future<driver::Result> first;
    {
        const driver::SendBatch batch;
        first = session.execute_async(Statement("INSERT quick"));
        auto queued = session.execute_async(Statement("INSERT quick"));
        ASSERT_EQ(queued.wait_for(5s), std::future_status::ready) << "no timer failed it";
        EXPECT_THROW(queued.get(), driver::BusyError);
    }
    EXPECT_NO_THROW(first.get());
}

// Through a cap of one, nearly every request queues and each answer serves the next: the queue's
// path at its busiest. (The lost wake-up it was written for, the I/O thread freeing the slot
// while a caller is about to queue, did not show here in 30,000 requests without its fix, the
// serve posted by whoever fills an empty queue; that serve also arms the timer, which
// AQueuedRequestFailsAsBusyAfterTheRequestTimeout needs.)
TEST(CqlDriverSessionBackpressure, ManyRequestsThroughACapOfOneAllComplete) {
    FakeCluster cluster(one_node);
    answer_at_once(*cluster.nodes[0], "INSERT quick");
    cluster.start();
    auto o = cluster.options();
    o.max_in_flight_per_connection = 1;
    auto session = driver::Session::connect(o);
    for (int round = 0; round < 20; ++round) {
        std::vector<std::future<driver::Result>> answers;
        for (int i = 0; i < 100; ++i) answers.push_back(session.execute_async(Statement("INSERT quick")));
        for (auto& a : answers) {
            ASSERT_EQ(a.wait_for(10s), std::future_status::ready) << "round " << round;
            EXPECT_NO_THROW(a.get());
        }
    }
}

// Sends `requests` the node never answers through a cap of `cap`, closes the session, and
// checks that every one failed with ConnectionError rather than leaving its callback unrun.
void close_with_unanswered_requests(std::size_t cap, int requests) {
    FakeCluster cluster(one_node);
    cluster.nodes[0]->set_hook([&](fake::Peer&, const fake::Request& r) {
        return r.opcode == Opcode::Query && r.cql() == "INSERT held";  // never answered
    });
    cluster.start();
    auto o = cluster.options();
    o.max_in_flight_per_connection = cap;
    std::vector<std::future<driver::Result>> answers;
    {
        auto session = driver::Session::connect(o);
        for (int i = 0; i < requests; ++i) answers.push_back(session.execute_async(Statement("INSERT held")));
        ASSERT_TRUE(eventually([&] { return session.nodes()[0].in_flight == std::min<std::size_t>(cap, requests); }));
    }
    for (auto& a : answers) {
        ASSERT_EQ(a.wait_for(5s), std::future_status::ready);
        EXPECT_THROW(a.get(), driver::ConnectionError);
    }
}

// Closing the session fails the requests it has sent. Failed in about half of the runs before
// pool shutdown waited for its closes to have run (ConnectionPool::run_on_io).
TEST(CqlDriverSessionClose, FailsThePendingRequests) { close_with_unanswered_requests(1024, 2); }

// And those still waiting in its queue for a slot.
TEST(CqlDriverSessionClose, FailsTheQueuedRequests) { close_with_unanswered_requests(2, 4); }

// Requests sent during a SendBatch reach the node when it ends, not one by one meanwhile.
TEST(CqlDriverSessionSendBatch, StartsItsRequestsWhenItEnds) {
    FakeCluster cluster(one_node);
    std::atomic<int> seen{0};
    answer_at_once(*cluster.nodes[0], "INSERT batched", &seen);
    cluster.start();
    auto session = driver::Session::connect(cluster.options());
    std::vector<std::future<driver::Result>> answers;
    {
        const driver::SendBatch batch;
        for (int i = 0; i < 5; ++i) answers.push_back(session.execute_async(Statement("INSERT batched")));
        std::this_thread::sleep_for(200ms);
        EXPECT_EQ(seen.load(), 0) << "nothing is sent before the batch ends";
    }
    for (auto& a : answers) a.get();
    EXPECT_EQ(seen.load(), 5);
}

// A batch holding every slot frees them only once it ends: requests past the cap wait in the
// queue meanwhile (the caller is not held), and go as the batch's own are answered. A blocking
// execute inside a batch sends its own request.
TEST(CqlDriverSessionSendBatch, RequestsPastTheCapInsideABatchGoAfterIt) {
    FakeCluster cluster(one_node);
    std::atomic<int> seen{0};
    answer_at_once(*cluster.nodes[0], "INSERT batched", &seen);
    cluster.start();
    auto o = cluster.options();
    o.max_in_flight_per_connection = 2;
    auto session = driver::Session::connect(o);
    std::vector<std::future<driver::Result>> answers;
    {
        const driver::SendBatch batch;
        for (int i = 0; i < 3; ++i) answers.push_back(session.execute_async(Statement("INSERT batched")));
        std::this_thread::sleep_for(100ms);
        EXPECT_EQ(seen.load(), 0) << "nothing is sent before the batch ends";
    }
    for (auto& a : answers) EXPECT_NO_THROW(a.get());
    EXPECT_EQ(seen.load(), 3);
    // Inside a batch that holds every slot, execute's request queues: execute sends the batch's
    // two before it waits, and their answers make room for it.
    const driver::SendBatch batch;
    auto first = session.execute_async(Statement("INSERT batched"));
    auto second = session.execute_async(Statement("INSERT batched"));
    EXPECT_NO_THROW(session.execute(Statement("INSERT batched")));
    EXPECT_NO_THROW(first.get());
    EXPECT_NO_THROW(second.get());
    EXPECT_EQ(seen.load(), 6);
}

TEST_F(CqlDriverSession, QueryFollowsEveryPage) {
    const cql::ColumnType int_type{cql::TypeId::Int, {}, {}, {}, {}};
    auto int_cell = [](std::int32_t v) { return std::get<cql::Bytes>(cql::to_value(v)); };
    for (auto& n : cluster_.nodes)
        n->set_hook([&](fake::Peer& peer, const fake::Request& r) {
            if (r.opcode != Opcode::Query || r.cql() != "SELECT v FROM ks.t") return false;
            const auto state = r.paging_state();
            const int page = state ? (*state)[0] : 0;
            std::vector<fake::reply::Row> rows;
            for (int i = 0; i < 3; ++i) rows.push_back({int_cell(page * 3 + i)});
            const auto next = page < 2 ? std::optional<cql::Bytes>(cql::Bytes{static_cast<std::uint8_t>(page + 1)})
                                       : std::nullopt;
            peer.reply(r, Opcode::Result, fake::reply::rows({{"v", int_type}}, rows, next));
            return true;
        });
    auto session = connect();
    const auto all = session.query(Statement("SELECT v FROM ks.t"));
    ASSERT_EQ(all.row_count(), 9u);
    for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(all.get<std::int32_t>(i, "v"), static_cast<std::int32_t>(i));
    EXPECT_FALSE(all.paging_state());
    const auto first_page = session.execute(Statement("SELECT v FROM ks.t"));
    EXPECT_EQ(first_page.row_count(), 3u);
    EXPECT_TRUE(first_page.paging_state());
}

// A node that says "more pages" forever, 100 rows a page, counting the pages it sent.
fake::Node::Hook endless_pages(std::atomic<int>& pages) {
    return [&pages](fake::Peer& peer, const fake::Request& r) {
        if (r.opcode != Opcode::Query || r.cql().find("FROM ks.t") == std::string::npos) return false;
        ++pages;
        const cql::ColumnType text{cql::TypeId::Varchar, {}, {}, {}, {}};
        std::vector<fake::reply::Row> rows(100, fake::reply::Row{fake::reply::text(std::string(100, 'v'))});
        peer.reply(r, Opcode::Result, fake::reply::rows({{"v", text}}, rows, cql::Bytes{1, 2, 3}));
        return true;
    };
}

// It used to fetch pages for as long as the node offered them: 2.3 GB in 20 s.
TEST_F(CqlDriverSession, QueryStopsAtTheRowsAskedForWhenTheNodePagesForever) {
    std::atomic<int> pages{0};
    for (auto& n : cluster_.nodes) n->set_hook(endless_pages(pages));
    auto session = connect();
    const auto fifty = session.query(Statement("SELECT v FROM ks.t LIMIT 50"), {.rows = 50});
    EXPECT_EQ(fifty.row_count(), 50u);
    EXPECT_FALSE(fifty.paging_state());
    EXPECT_EQ(pages.load(), 1);
    const auto some = session.query(Statement("SELECT v FROM ks.t LIMIT 250"), {.rows = 250});
    EXPECT_EQ(some.row_count(), 250u);
    EXPECT_EQ(pages.load(), 4);
    EXPECT_EQ(some.get<std::string>(249, 0), std::string(100, 'v'));
    EXPECT_THROW((void)some.get<std::string>(250, 0), std::out_of_range);
}

TEST_F(CqlDriverSession, QueryBoundsRowsAndBytesAndNamesTheNode) {
    std::atomic<int> pages{0};
    for (auto& n : cluster_.nodes) n->set_hook(endless_pages(pages));
    auto session = connect();
    auto fails_naming_a_node = [&](driver::QueryLimits limits, const std::string& what) {
        try {
            session.query(Statement("SELECT v FROM ks.t"), limits);
            ADD_FAILURE() << "no error";
        } catch (const driver::UnexpectedResult& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find(what), std::string::npos) << message;
            bool names_a_node = false;
            for (const auto& n : cluster_.nodes) names_a_node |= message.starts_with("cassandra " + n->endpoint() + ": ");
            EXPECT_TRUE(names_a_node) << message;
        }
    };
    fails_naming_a_node({.rows = std::nullopt, .max_rows = 1000}, "more than 1000 rows");
    EXPECT_EQ(pages.load(), 11);  // the page that went past the bound, no further
    fails_naming_a_node({.rows = std::nullopt, .max_rows = 1'000'000, .max_bytes = 100'000}, "more than 100000 bytes");
}

TEST_F(CqlDriverSession, QueryRefusesANextPageUnlikeTheFirst) {
    const cql::ColumnType int_type{cql::TypeId::Int, {}, {}, {}, {}};
    auto int_cell = [](std::int32_t v) { return std::get<cql::Bytes>(cql::to_value(v)); };
    for (auto& n : cluster_.nodes)
        n->set_hook([&](fake::Peer& peer, const fake::Request& r) {
            if (r.opcode != Opcode::Query || r.cql() != "SELECT v FROM ks.t") return false;
            if (r.paging_state()) {
                peer.reply(r, Opcode::Result, fake::reply::void_result());
            } else {
                peer.reply(r, Opcode::Result, fake::reply::rows({{"v", int_type}}, {{int_cell(1)}}, cql::Bytes{1}));
            }
            return true;
        });
    auto session = connect();
    EXPECT_THROW(session.query(Statement("SELECT v FROM ks.t")), driver::UnexpectedResult);
}

TEST_F(CqlDriverSession, ServerErrorsAreExceptionsNamingTheNode) {
    for (auto& n : cluster_.nodes)
        n->set_hook([](fake::Peer& peer, const fake::Request& r) {
            if (r.opcode != Opcode::Query || !r.cql().starts_with("SELEC ")) return false;
            peer.reply(r, Opcode::Error, fake::reply::error(ErrorCode::SyntaxError, "line 1:0 no viable alternative"));
            return true;
        });
    auto session = connect();
    try {
        session.execute(Statement("SELEC * FROM ks.t"));
        FAIL() << "no error";
    } catch (const driver::ServerError& e) {
        EXPECT_EQ(e.code(), ErrorCode::SyntaxError);
        EXPECT_NE(std::string(e.what()).find("cassandra 127.0.0.1:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("Syntax_error (0x2000): line 1:0"), std::string::npos) << e.what();
    }
}

TEST_F(CqlDriverSession, BlockingCallsAreRefusedInsideCallbacks) {
    auto session = connect();
    std::promise<std::string> refused;
    session.execute_async(Statement("INSERT INTO ks.t (pk) VALUES ('a')"), [&](std::exception_ptr, driver::Result) {
        try {
            session.execute(Statement("INSERT INTO ks.t (pk) VALUES ('b')"));
            refused.set_value("not refused");
        } catch (const std::logic_error& e) {
            refused.set_value(e.what());
        }
    });
    EXPECT_NE(refused.get_future().get().find("I/O thread"), std::string::npos);
}

}  // namespace
