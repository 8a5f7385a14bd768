// One connection against a fake node on loopback: handshake and authentication, pipelining,
// backpressure, timeouts that park stream ids, and a node that breaks the protocol or hangs up.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "cql/driver/completion.hpp"
#include "cql/driver/connection.hpp"
#include "cql/driver/errors.hpp"
#include "cql/driver/io_thread.hpp"
#include "cql/request/query.hpp"
#include "cql/request/register.hpp"
#include "cql_driver_fake_node.hpp"

namespace cql = playstream::cql;
namespace driver = playstream::cql::driver;
namespace fake = playstream::cql::fake;
using cql::Opcode;
using namespace std::chrono_literals;

namespace {

// Requests the fake node holds, answered when the test says. Shared with the node's thread.
class Held {
public:
    fake::Node::Hook hook(const std::string& prefix) {
        return [this, prefix](fake::Peer& peer, const fake::Request& r) {
            if (r.opcode != Opcode::Query || !r.cql().starts_with(prefix)) return false;
            std::lock_guard lock(mutex_);
            requests_.emplace_back(&peer, r);
            return true;
        };
    }
    std::size_t size() {
        std::lock_guard lock(mutex_);
        return requests_.size();
    }
    fake::Request request(std::size_t i) {
        std::lock_guard lock(mutex_);
        return requests_.at(i).second;
    }
    // Bytes as they are, on the connection of request i.
    void write_raw(std::size_t i, cql::Bytes bytes) {
        std::lock_guard lock(mutex_);
        requests_.at(i).first->write(std::move(bytes));
    }
    void reply(std::size_t i, Opcode op, const cql::Bytes& body) {
        std::lock_guard lock(mutex_);
        requests_.at(i).first->reply(requests_.at(i).second, op, body);
    }

private:
    std::mutex mutex_;
    std::vector<std::pair<fake::Peer*, fake::Request>> requests_;
};

struct Opened {
    std::exception_ptr error;
    std::shared_ptr<driver::Connection> connection;
};

class CqlDriverConnection : public ::testing::Test {
protected:
    driver::ConnectionOptions options() const {
        driver::ConnectionOptions o;
        o.endpoint = {"127.0.0.1", node_.port()};
        o.request_timeout = 5s;
        return o;
    }

    Opened open(driver::ConnectionOptions o, driver::Connection::Listener listener = {}) {
        std::promise<Opened> p;
        driver::Connection::open(io_.context(), std::move(o), std::move(listener),
                                 [&p](std::exception_ptr e, std::shared_ptr<driver::Connection> c) {
                                     p.set_value({e, c});
                                 });
        return p.get_future().get();
    }

    std::shared_ptr<driver::Connection> open_ok(driver::ConnectionOptions o, driver::Connection::Listener l = {}) {
        auto r = open(std::move(o), std::move(l));
        if (r.error) std::rethrow_exception(r.error);
        return r.connection;
    }

    // Sends a QUERY with this text; the future gets the answer or the error.
    static std::future<cql::Response> query(driver::Connection& c, const std::string& cql) {
        EXPECT_TRUE(c.try_reserve());
        auto p = std::make_shared<std::promise<cql::Response>>();
        c.send(cql::request::Query{cql, {}}, [p](std::exception_ptr e, cql::Response r) {
            if (e) return p->set_exception(e);
            p->set_value(std::move(r));
        });
        return p->get_future();
    }

    static std::string keyspace_of(const cql::Response& r) {
        return std::get<cql::response::SetKeyspace>(std::get<cql::response::Result>(r.body).kind).keyspace;
    }

    template <class Pred>
    static bool eventually(Pred pred) {
        for (int i = 0; i < 500 && !pred(); ++i) std::this_thread::sleep_for(10ms);
        return pred();
    }

    Held held_;  // outlives the node, whose thread calls its hook
    fake::Node node_;
    driver::IoThread io_;
};

TEST_F(CqlDriverConnection, HandshakeSendsOptionsThenStartupAndUsesTheKeyspace) {
    std::vector<Opcode> seen;
    std::mutex m;
    node_.set_hook([&](fake::Peer&, const fake::Request& r) {
        std::lock_guard lock(m);
        seen.push_back(r.opcode);
        return false;
    });
    node_.start();
    auto o = options();
    o.keyspace = "Spotify";
    auto c = open_ok(o);
    std::lock_guard lock(m);
    EXPECT_EQ(seen, (std::vector<Opcode>{Opcode::Options, Opcode::Startup, Opcode::Query}));
    EXPECT_FALSE(c->is_closed());
}

TEST_F(CqlDriverConnection, PasswordAuthenticationAccepted) {
    node_.credentials = {{"alice", "s3cret"}};
    node_.start();
    auto o = options();
    o.user = "alice";
    o.password = "s3cret";
    auto c = open_ok(o);
    EXPECT_EQ(keyspace_of(query(*c, "USE ks").get()), "ks");
}

TEST_F(CqlDriverConnection, WrongPasswordIsAClearAuthenticationError) {
    node_.credentials = {{"alice", "s3cret"}};
    node_.start();
    auto o = options();
    o.user = "alice";
    o.password = "wrong";
    const auto r = open(o);
    ASSERT_FALSE(r.connection);
    try {
        std::rethrow_exception(r.error);
    } catch (const driver::AuthenticationError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("127.0.0.1:" + std::to_string(node_.port())), std::string::npos) << what;
        EXPECT_NE(what.find("credentials rejected for user 'alice'"), std::string::npos) << what;
        EXPECT_NE(what.find("Bad_credentials"), std::string::npos) << what;
    }
}

TEST_F(CqlDriverConnection, MissingCredentialsSayWhichAuthenticatorAsks) {
    node_.credentials = {{"alice", "s3cret"}};
    node_.start();
    const auto r = open(options());
    ASSERT_TRUE(r.error);
    EXPECT_THROW(std::rethrow_exception(r.error), driver::AuthenticationError);
    EXPECT_NE(driver::describe(r.error).find("PasswordAuthenticator"), std::string::npos);
}

TEST_F(CqlDriverConnection, RefusedConnectionNamesTheHost) {
    auto o = options();  // the node never starts accepting; a closed port refuses
    o.endpoint.port = 1;
    const auto r = open(o);
    ASSERT_TRUE(r.error);
    EXPECT_THROW(std::rethrow_exception(r.error), driver::ConnectionError);
    EXPECT_NE(driver::describe(r.error).find("127.0.0.1:1: cannot connect"), std::string::npos);
}

// 2000 requests in flight on one connection, answered in reverse order: each gets its own answer.
TEST_F(CqlDriverConnection, PipelinesManyRequestsAnsweredOutOfOrder) {
    node_.set_hook(held_.hook("USE k"));
    node_.start();
    auto o = options();
    o.max_in_flight = 2000;
    auto c = open_ok(o);
    std::vector<std::future<cql::Response>> answers;
    for (int i = 0; i < 2000; ++i) answers.push_back(query(*c, "USE k" + std::to_string(i)));
    ASSERT_TRUE(eventually([&] { return held_.size() == 2000; }));
    std::set<std::int16_t> streams;
    for (std::size_t i = 2000; i-- > 0;) {
        const auto r = held_.request(i);
        streams.insert(r.stream);
        held_.reply(i, Opcode::Result, fake::reply::set_keyspace(r.cql().substr(4)));
    }
    EXPECT_EQ(streams.size(), 2000u) << "stream ids in flight must be distinct";
    for (int i = 0; i < 2000; ++i) ASSERT_EQ(keyspace_of(answers[i].get()), "k" + std::to_string(i));
    EXPECT_EQ(c->reserved(), 0u);
}

// Responses arrive as the network cuts them: several frames in one read, and a frame in pieces
// (its header split, its body split) that reads must put back together.
TEST_F(CqlDriverConnection, ReassemblesFramesWhateverTheReadsCut) {
    node_.set_hook(held_.hook("USE k"));
    node_.start();
    auto c = open_ok(options());
    std::vector<std::future<cql::Response>> answers;
    for (int i = 0; i < 3; ++i) answers.push_back(query(*c, "USE k" + std::to_string(i)));
    ASSERT_TRUE(eventually([&] { return held_.size() == 3; }));
    cql::Bytes wire;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto r = held_.request(i);
        const auto f = fake::reply::frame(r.stream, Opcode::Result, fake::reply::set_keyspace(r.cql().substr(4)));
        wire.insert(wire.end(), f.begin(), f.end());
    }
    // The first two frames whole in one write, the third a byte at a time.
    const std::size_t third = wire.size() - fake::reply::frame(0, Opcode::Result, fake::reply::set_keyspace("k2")).size();
    held_.write_raw(0, cql::Bytes(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(third)));
    EXPECT_EQ(keyspace_of(answers[0].get()), "k0");
    EXPECT_EQ(keyspace_of(answers[1].get()), "k1");
    for (std::size_t i = third; i < wire.size(); ++i) {
        EXPECT_EQ(answers[2].wait_for(0ms), std::future_status::timeout) << "answered before its last byte";
        held_.write_raw(0, cql::Bytes{wire[i]});
        std::this_thread::sleep_for(1ms);
    }
    EXPECT_EQ(keyspace_of(answers[2].get()), "k2");
    EXPECT_FALSE(c->is_closed());
}

TEST_F(CqlDriverConnection, InFlightCapRefusesUntilASlotIsFreed) {
    node_.set_hook(held_.hook("USE held"));
    node_.start();
    auto o = options();
    o.max_in_flight = 3;
    std::atomic<int> freed{0};
    std::atomic<std::size_t> in_flight_after{99};
    auto c = open_ok(o, {[&](std::size_t in_flight) {
                             in_flight_after = in_flight;
                             ++freed;
                         }, nullptr, nullptr});
    freed = 0;
    std::vector<std::future<cql::Response>> answers;
    for (int i = 0; i < 3; ++i) answers.push_back(query(*c, "USE held"));
    EXPECT_FALSE(c->try_reserve());
    ASSERT_TRUE(eventually([&] { return held_.size() == 3; }));
    held_.reply(0, Opcode::Result, fake::reply::void_result());
    answers[0].get();
    EXPECT_EQ(freed.load(), 1);
    EXPECT_EQ(in_flight_after.load(), 2u) << "the listener is told how many remain in flight";
    EXPECT_TRUE(c->try_reserve());
}

TEST_F(CqlDriverConnection, TimeoutParksTheStreamIdUntilTheLateAnswer) {
    node_.set_hook(held_.hook("USE slow"));
    node_.start();
    auto o = options();
    o.request_timeout = 500ms;
    auto c = open_ok(o);
    auto late = query(*c, "USE slow");
    EXPECT_THROW(late.get(), driver::TimeoutError);
    EXPECT_EQ(c->parked(), 1u);
    EXPECT_EQ(c->reserved(), 0u) << "a timed-out request gives its slot back";
    // While parked, its id is not reused: a new request gets another id.
    auto other = query(*c, "USE other");
    EXPECT_EQ(keyspace_of(other.get()), "other");
    ASSERT_EQ(held_.size(), 1u);
    // The late answer frees the id and reaches nobody.
    held_.reply(0, Opcode::Result, fake::reply::set_keyspace("late"));
    ASSERT_TRUE(eventually([&] { return c->parked() == 0; }));
    EXPECT_FALSE(c->is_closed());
    EXPECT_EQ(keyspace_of(query(*c, "USE again").get()), "again");
}

// One sweep per connection, not a timer per request: each request still fails at its own
// deadline, neither earlier (with an older one) nor much later.
TEST_F(CqlDriverConnection, EachRequestTimesOutAtItsOwnDeadline) {
    node_.set_hook(held_.hook("USE slow"));
    node_.start();
    auto o = options();
    o.request_timeout = 500ms;
    auto c = open_ok(o);
    using Clock = std::chrono::steady_clock;
    // When each request failed, and with what.
    auto timed = [&](Clock::time_point& failed_at) {
        EXPECT_TRUE(c->try_reserve());
        auto p = std::make_shared<std::promise<void>>();
        c->send(cql::request::Query{"USE slow", {}}, [p, &failed_at](std::exception_ptr e, cql::Response) {
            failed_at = Clock::now();
            if (e) return p->set_exception(e);
            p->set_value();
        });
        return p->get_future();
    };
    Clock::time_point first_at, second_at;
    const auto t0 = Clock::now();
    auto first = timed(first_at);
    std::this_thread::sleep_for(1000ms);
    const auto t1 = Clock::now();
    auto second = timed(second_at);
    EXPECT_THROW(first.get(), driver::TimeoutError);
    EXPECT_THROW(second.get(), driver::TimeoutError);
    EXPECT_GE(first_at - t0, 500ms);
    EXPECT_LT(first_at, t1 + 500ms) << "the first request waited for the second one's deadline";
    EXPECT_GE(second_at - t1, 500ms) << "the second request timed out before its deadline";
    EXPECT_EQ(c->parked(), 2u);
    EXPECT_EQ(c->reserved(), 0u);
    EXPECT_FALSE(c->is_closed());
}

TEST_F(CqlDriverConnection, TooManyTimedOutRequestsCloseTheConnection) {
    node_.set_hook(held_.hook("USE slow"));
    node_.start();
    auto o = options();
    o.request_timeout = 500ms;
    o.max_orphans = 2;
    auto c = open_ok(o);
    std::vector<std::future<cql::Response>> answers;
    for (int i = 0; i < 3; ++i) answers.push_back(query(*c, "USE slow"));
    for (auto& a : answers) EXPECT_THROW(a.get(), driver::TimeoutError);
    ASSERT_TRUE(eventually([&] { return c->is_closed(); }));
}

TEST_F(CqlDriverConnection, MalformedFrameClosesTheConnectionAndFailsEveryPendingRequest) {
    node_.set_hook(held_.hook("USE held"));
    node_.start();
    std::promise<std::exception_ptr> closed;
    auto c = open_ok(options(), {nullptr, [&](std::exception_ptr e) { closed.set_value(e); }, nullptr});
    std::vector<std::future<cql::Response>> answers;
    for (int i = 0; i < 5; ++i) answers.push_back(query(*c, "USE held"));
    ASSERT_TRUE(eventually([&] { return held_.size() == 5; }));
    // A RESULT of an unknown kind: a frame whose body breaks the protocol.
    held_.reply(0, Opcode::Result, fake::reply::body([](cql::Encoder& e) { e.write_int(99); }));
    for (auto& a : answers) {
        try {
            a.get();
            ADD_FAILURE() << "a pending request survived a protocol error";
        } catch (const driver::ConnectionError& e) {
            EXPECT_NE(std::string(e.what()).find("protocol error"), std::string::npos) << e.what();
            EXPECT_TRUE(e.request_sent());
        }
    }
    EXPECT_NE(driver::describe(closed.get_future().get()).find("protocol error"), std::string::npos);
    EXPECT_TRUE(c->is_closed());
    EXPECT_FALSE(c->try_reserve());
}

TEST_F(CqlDriverConnection, GarbageHeaderClosesTheConnection) {
    node_.set_hook([](fake::Peer& peer, const fake::Request& r) {
        if (r.opcode != Opcode::Query || r.cql() != "USE garbage") return false;
        peer.write(cql::Bytes{0x04, 0, 0, 1, 0x08, 0, 0, 0, 0});  // a request's version byte
        return true;
    });
    node_.start();
    auto c = open_ok(options());
    try {
        query(*c, "USE garbage").get();
        ADD_FAILURE() << "no error";
    } catch (const driver::ConnectionError& e) {
        EXPECT_NE(std::string(e.what()).find("frame version 0x04"), std::string::npos) << e.what();
    }
}

TEST_F(CqlDriverConnection, NodeHangingUpFailsPendingRequests) {
    node_.set_hook(held_.hook("USE held"));
    node_.start();
    std::promise<std::exception_ptr> closed;
    auto c = open_ok(options(), {nullptr, [&](std::exception_ptr e) { closed.set_value(e); }, nullptr});
    auto pending = query(*c, "USE held");
    ASSERT_TRUE(eventually([&] { return held_.size() == 1; }));
    node_.disconnect_all();
    EXPECT_THROW(pending.get(), driver::ConnectionError);
    EXPECT_NE(driver::describe(closed.get_future().get()).find("closed the connection"), std::string::npos);
    EXPECT_TRUE(c->is_closed());
    EXPECT_FALSE(c->try_reserve());
}

// Events arrive on stream -1, unasked: they go to the listener, and requests in flight are not
// disturbed (an id of -1 was once a protocol error to us, or dropped).
TEST_F(CqlDriverConnection, EventsAfterRegisterReachTheListener) {
    node_.set_hook(held_.hook("USE held"));
    node_.start();
    std::promise<cql::response::Event> got;
    auto c = open_ok(options(), {nullptr, nullptr, [&](cql::response::Event e) { got.set_value(std::move(e)); }});
    ASSERT_TRUE(c->try_reserve());
    auto [callback, registered] = driver::completion<cql::Response>();
    c->send(cql::request::Register{{"STATUS_CHANGE"}}, std::move(callback));
    ASSERT_TRUE(std::holds_alternative<cql::response::Ready>(registered.get().body));
    auto pending = query(*c, "USE held");
    ASSERT_TRUE(eventually([&] { return held_.size() == 1; }));
    EXPECT_EQ(node_.push_event(fake::reply::node_event("STATUS_CHANGE", "DOWN", "127.0.0.7", 9042)), 1);
    auto arrived = got.get_future();
    ASSERT_EQ(arrived.wait_for(5s), std::future_status::ready) << "the event never reached the listener";
    const auto event = arrived.get();
    EXPECT_EQ(event.type, "STATUS_CHANGE");
    const auto& change = std::get<cql::response::NodeChange>(event.change);
    EXPECT_EQ(change.change, "DOWN");
    EXPECT_EQ(change.node.address, (std::vector<std::uint8_t>{127, 0, 0, 7}));
    EXPECT_EQ(change.node.port, 9042);
    held_.reply(0, Opcode::Result, fake::reply::set_keyspace("held"));
    EXPECT_NO_THROW(pending.get());
    EXPECT_FALSE(c->is_closed());
}

}  // namespace
