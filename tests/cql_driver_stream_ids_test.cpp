// The stream-id manager: every id usable once, exhaustion, and parked ids of timed-out requests.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

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
