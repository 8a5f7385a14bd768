// The stream-id manager: every id usable once, exhaustion, and parked ids of timed-out requests;
// and the table of requests in flight built on it (ResponseHandlerMap).
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <vector>
#include <stdexcept>

#include "cql/driver/response_handlers.hpp"
#include "cql/driver/stream_ids.hpp"

using playstream::cql::driver::StreamIds;

namespace {

TEST(CqlDriverStreamIds, HandsOutEveryIdOnceThenNone) {
    StreamIds ids;
    std::set<int> seen;
    for (std::size_t i = 0; i < StreamIds::capacity; ++i) {
        const auto id = ids.acquire();
        ASSERT_TRUE(id) << "ran out after " << i;
        ASSERT_GE(*id, 0);
        ASSERT_TRUE(seen.insert(*id).second) << "id " << *id << " handed out twice";
    }
    EXPECT_EQ(seen.size(), 32768u);
    EXPECT_EQ(*seen.rbegin(), 32767);
    EXPECT_FALSE(ids.acquire());
    EXPECT_EQ(ids.available(), 0u);
    EXPECT_EQ(ids.in_flight(), 32768u);
}

TEST(CqlDriverStreamIds, ReleasedIdIsReusedAfterExhaustion) {
    StreamIds ids;
    for (std::size_t i = 0; i < StreamIds::capacity; ++i) ids.acquire();
    EXPECT_TRUE(ids.release(12345));
    EXPECT_EQ(ids.acquire(), std::optional<std::int16_t>(12345));
    EXPECT_FALSE(ids.acquire());
}

TEST(CqlDriverStreamIds, ReleasingAFreeIdChangesNothing) {
    StreamIds ids;
    const auto id = *ids.acquire();
    EXPECT_TRUE(ids.release(id));
    EXPECT_FALSE(ids.release(id));
    EXPECT_FALSE(ids.release(7));
    EXPECT_EQ(ids.available(), StreamIds::capacity);
}

TEST(CqlDriverStreamIds, ParkedIdIsNotReusedUntilReleased) {
    StreamIds ids;
    const auto parked = *ids.acquire();
    ids.park(parked);
    EXPECT_TRUE(ids.is_parked(parked));
    EXPECT_EQ(ids.parked(), 1u);
    EXPECT_EQ(ids.in_flight(), 0u);
    // Every other id can be handed out; the parked one never is.
    for (std::size_t i = 1; i < StreamIds::capacity; ++i) ASSERT_NE(ids.acquire(), parked);
    EXPECT_FALSE(ids.acquire());
    // Its late response frees it.
    EXPECT_TRUE(ids.release(parked));
    EXPECT_FALSE(ids.is_parked(parked));
    EXPECT_EQ(ids.parked(), 0u);
    EXPECT_EQ(ids.acquire(), parked);
}

TEST(CqlDriverStreamIds, ParkingAFreeIdIsABug) {
    StreamIds ids;
    EXPECT_THROW(ids.park(3), std::logic_error);
    EXPECT_THROW(ids.release(-1), std::out_of_range);
}

}  // namespace

// ---- ResponseHandlerMap: ids, handlers, deadlines and orphans in one table ------------------

namespace {

using playstream::cql::Response;
using playstream::cql::driver::ResponseHandlerMap;
using Outcome = ResponseHandlerMap::Outcome;
using Clock = ResponseHandlerMap::Clock;
using namespace std::chrono_literals;

// A handler that records into `calls` that it ran, with which tag.
ResponseHandlerMap::Handler recorder(std::vector<int>& calls, int tag) {
    return [&calls, tag](std::exception_ptr, Response) { calls.push_back(tag); };
}

TEST(CqlDriverResponseHandlers, AnAnswerFindsItsHandlerOnceAndFreesTheId) {
    ResponseHandlerMap map;
    std::vector<int> calls;
    const auto t0 = Clock::now();
    auto h = recorder(calls, 1);
    const auto id = map.allocate(h, t0 + 1s);
    ASSERT_TRUE(id);
    EXPECT_EQ(map.in_flight(), 1u);
    auto found = map.take(*id);
    ASSERT_EQ(found.outcome, Outcome::Pending);
    found.handler(nullptr, {});
    EXPECT_EQ(calls, std::vector<int>{1});
    EXPECT_EQ(map.in_flight(), 0u);
    // A second answer on the same id has no request: the node broke the protocol.
    EXPECT_EQ(map.take(*id).outcome, Outcome::Unknown);
    EXPECT_EQ(map.take(-1).outcome, Outcome::Unknown);
    EXPECT_EQ(map.take(4000).outcome, Outcome::Unknown);
}

TEST(CqlDriverResponseHandlers, ExpiredRequestsAreOrphanedUntilTheirLateAnswer) {
    ResponseHandlerMap map;
    std::vector<int> calls;
    const auto t0 = Clock::now();
    auto a = recorder(calls, 1);
    auto b = recorder(calls, 2);
    auto c = recorder(calls, 3);
    const auto ida = *map.allocate(a, t0 + 1s);
    const auto idb = *map.allocate(b, t0 + 2s);
    const auto idc = *map.allocate(c, t0 + 3s);
    ASSERT_EQ(map.take(idb).outcome, Outcome::Pending);  // answered in time
    EXPECT_EQ(map.next_deadline(), t0 + 1s);
    EXPECT_TRUE(map.take_expired(t0 + 500ms).empty());
    auto expired = map.take_expired(t0 + 2500ms);
    ASSERT_EQ(expired.size(), 1u);  // a only: b was answered, c is not due
    expired[0](nullptr, {});
    EXPECT_EQ(calls, std::vector<int>{1});
    EXPECT_EQ(map.orphaned(), 1u);
    EXPECT_EQ(map.in_flight(), 1u);
    EXPECT_EQ(map.next_deadline(), t0 + 3s);
    // The orphaned id is not handed out again while the node may still answer on it.
    for (int i = 0; i < 100; ++i) {
        auto h = recorder(calls, 100 + i);
        ASSERT_NE(map.allocate(h, t0 + 4s), ida);
    }
    // Its late answer frees it, without a handler to run.
    const auto late = map.take(ida);
    EXPECT_EQ(late.outcome, Outcome::Orphaned);
    EXPECT_FALSE(late.handler);
    EXPECT_EQ(map.orphaned(), 0u);
    EXPECT_EQ(map.take(ida).outcome, Outcome::Unknown);
    EXPECT_EQ(map.take(idc).outcome, Outcome::Pending);
}

TEST(CqlDriverResponseHandlers, AReusedIdIsNotExpiredByItsPreviousRequestsDeadline) {
    ResponseHandlerMap map;
    std::vector<int> calls;
    const auto t0 = Clock::now();
    auto first = recorder(calls, 1);
    const auto id = *map.allocate(first, t0 + 1s);
    ASSERT_EQ(map.take(id).outcome, Outcome::Pending);
    auto second = recorder(calls, 2);
    ASSERT_EQ(map.allocate(second, t0 + 5s), id);  // the lowest free id again
    EXPECT_TRUE(map.take_expired(t0 + 2s).empty());
    EXPECT_EQ(map.take_expired(t0 + 6s).size(), 1u);
}

TEST(CqlDriverResponseHandlers, TakeAllHandsOverEveryPendingRequestWithWhetherItWasWritten) {
    ResponseHandlerMap map;
    std::vector<int> calls;
    const auto t0 = Clock::now();
    auto a = recorder(calls, 1);
    auto b = recorder(calls, 2);
    const auto ida = *map.allocate(a, t0 + 1s);
    map.allocate(b, t0 + 1s);
    map.mark_written(ida);
    std::vector<std::pair<int, bool>> seen;
    map.take_all([&](ResponseHandlerMap::Handler& h, bool written) {
        h(nullptr, {});
        seen.emplace_back(calls.back(), written);
    });
    EXPECT_EQ(seen, (std::vector<std::pair<int, bool>>{{1, true}, {2, false}}));
    EXPECT_FALSE(map.next_deadline());
    EXPECT_EQ(map.take(ida).outcome, Outcome::Unknown);
}

TEST(CqlDriverResponseHandlers, WhenEveryIdIsTakenTheHandlerIsLeftWithTheCaller) {
    ResponseHandlerMap map;
    std::vector<int> calls;
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < StreamIds::capacity; ++i) {
        auto h = recorder(calls, 0);
        ASSERT_TRUE(map.allocate(h, t0 + 1s));
    }
    auto last = recorder(calls, 7);
    EXPECT_FALSE(map.allocate(last, t0 + 1s));
    ASSERT_TRUE(last);
    last(nullptr, {});
    EXPECT_EQ(calls, std::vector<int>{7});
}

}  // namespace
