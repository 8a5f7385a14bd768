// The driver's decisions that need no network: retries, reconnection delays, contact points.
#include <gtest/gtest.h>

#include <stdexcept>

#include "cql/driver/endpoint.hpp"
#include "cql/driver/errors.hpp"
#include "cql/driver/reconnect_policy.hpp"
#include "cql/driver/retry_policy.hpp"

namespace driver = playstream::cql::driver;
using driver::Failure;
using playstream::cql::response::ErrorCode;
using std::chrono::milliseconds;

namespace {

std::exception_ptr server(ErrorCode code) {
    return std::make_exception_ptr(driver::ServerError("n1:9042", {code, "msg", {}}));
}

TEST(CqlDriverRetryPolicy, SortsFailuresByWhetherTheWriteMayHaveHappened) {
    EXPECT_EQ(driver::classify(server(ErrorCode::Unavailable)), Failure::NotApplied);
    EXPECT_EQ(driver::classify(server(ErrorCode::Overloaded)), Failure::NotApplied);
    EXPECT_EQ(driver::classify(server(ErrorCode::IsBootstrapping)), Failure::NotApplied);
    EXPECT_EQ(driver::classify(server(ErrorCode::WriteTimeout)), Failure::MaybeApplied);
    EXPECT_EQ(driver::classify(server(ErrorCode::ReadTimeout)), Failure::MaybeApplied);
    EXPECT_EQ(driver::classify(server(ErrorCode::ServerError)), Failure::MaybeApplied);
    EXPECT_EQ(driver::classify(server(ErrorCode::SyntaxError)), Failure::Final);
    EXPECT_EQ(driver::classify(server(ErrorCode::Invalid)), Failure::Final);
    EXPECT_EQ(driver::classify(server(ErrorCode::WriteFailure)), Failure::Final);
    EXPECT_EQ(driver::classify(std::make_exception_ptr(driver::TimeoutError("n1", "late"))), Failure::MaybeApplied);
    EXPECT_EQ(driver::classify(std::make_exception_ptr(driver::ConnectionError("n1", "lost", true))),
              Failure::MaybeApplied);
    EXPECT_EQ(driver::classify(std::make_exception_ptr(driver::ConnectionError("n1", "lost", false))),
              Failure::NotApplied);
    EXPECT_EQ(driver::classify(std::make_exception_ptr(driver::BusyError("n1", "full"))), Failure::NotApplied);
    EXPECT_EQ(driver::classify(std::make_exception_ptr(driver::AuthenticationError("n1", "no"))), Failure::Final);
    EXPECT_EQ(driver::classify(std::make_exception_ptr(std::runtime_error("?"))), Failure::Final);
}

// What a caller may try again later, after the driver's own retries: the one classification
// the Cassandra store uses too.
TEST(CqlDriverRetryPolicy, TransientFailuresAreTheRetryableOnesAndNoHostAvailable) {
    for (const auto code : {ErrorCode::Unavailable, ErrorCode::Overloaded, ErrorCode::IsBootstrapping,
                            ErrorCode::WriteTimeout, ErrorCode::ReadTimeout, ErrorCode::ServerError})
        EXPECT_TRUE(driver::is_transient(server(code))) << static_cast<int>(code);
    for (const auto code : {ErrorCode::SyntaxError, ErrorCode::Invalid, ErrorCode::WriteFailure,
                            ErrorCode::ReadFailure, ErrorCode::Unauthorized, ErrorCode::BadCredentials})
        EXPECT_FALSE(driver::is_transient(server(code))) << static_cast<int>(code);
    EXPECT_TRUE(driver::is_transient(std::make_exception_ptr(driver::TimeoutError("n1", "late"))));
    EXPECT_TRUE(driver::is_transient(std::make_exception_ptr(driver::ConnectionError("n1", "lost", true))));
    EXPECT_TRUE(driver::is_transient(std::make_exception_ptr(driver::BusyError("n1", "full"))));
    EXPECT_TRUE(driver::is_transient(std::make_exception_ptr(driver::NoHostAvailable("none up", {"n1: down"}))));
    EXPECT_FALSE(driver::is_transient(std::make_exception_ptr(driver::AuthenticationError("n1", "no"))));
    EXPECT_FALSE(driver::is_transient(std::make_exception_ptr(driver::UnexpectedResult("n1", "too many rows"))));
    EXPECT_FALSE(driver::is_transient(std::make_exception_ptr(std::runtime_error("?"))));
}

// The names per node counters use; a request that never reached the node has none.
TEST(CqlDriverRetryPolicy, NamesWhatAnAttemptMetOnItsNode) {
    EXPECT_EQ(driver::failure_name(server(ErrorCode::WriteTimeout)), "write_timeout");
    EXPECT_EQ(driver::failure_name(server(ErrorCode::Overloaded)), "overloaded");
    EXPECT_EQ(driver::failure_name(server(ErrorCode::Unavailable)), "unavailable");
    EXPECT_EQ(driver::failure_name(std::make_exception_ptr(driver::TimeoutError("n1", "late"))), "client_timeout");
    EXPECT_EQ(driver::failure_name(std::make_exception_ptr(driver::ConnectionError("n1", "lost", true))), "connection");
    EXPECT_EQ(driver::failure_name(std::make_exception_ptr(driver::ConnectionError("n1", "no free stream id", false))),
              std::nullopt);
    EXPECT_EQ(driver::failure_name(std::make_exception_ptr(driver::BusyError("cluster", "full"))), std::nullopt);
    EXPECT_EQ(driver::failure_name(std::make_exception_ptr(driver::NoHostAvailable("none up", {"n1: down"}))),
              std::nullopt);
    EXPECT_EQ(driver::failure_name(std::make_exception_ptr(std::runtime_error("?"))), "other");
}

TEST(CqlDriverRetryPolicy, RetriesIdempotentStatementsWithBackoffUpToTheLimit) {
    const driver::RetryPolicy p{3, milliseconds(10), milliseconds(15)};
    EXPECT_EQ(p.retry_after(Failure::MaybeApplied, true, 1), milliseconds(10));
    EXPECT_EQ(p.retry_after(Failure::MaybeApplied, true, 2), milliseconds(15));  // 20, capped
    EXPECT_EQ(p.retry_after(Failure::MaybeApplied, true, 3), std::nullopt);      // 3 attempts made
}

TEST(CqlDriverRetryPolicy, NeverRetriesANonIdempotentStatementThatMayHaveRun) {
    const driver::RetryPolicy p;
    EXPECT_EQ(p.retry_after(Failure::MaybeApplied, false, 1), std::nullopt);
    EXPECT_EQ(p.retry_after(Failure::NotApplied, false, 1), p.base_delay);
    EXPECT_EQ(p.retry_after(Failure::Final, true, 1), std::nullopt);
}

TEST(CqlDriverReconnectPolicy, DoublesFromTheBaseUpToTheCap) {
    const driver::ReconnectPolicy p{milliseconds(100), milliseconds(1000)};
    EXPECT_EQ(p.delay(1), milliseconds(100));
    EXPECT_EQ(p.delay(2), milliseconds(200));
    EXPECT_EQ(p.delay(4), milliseconds(800));
    EXPECT_EQ(p.delay(5), milliseconds(1000));
    EXPECT_EQ(p.delay(1000), milliseconds(1000));
}

TEST(CqlDriverEndpoint, ParsesHostsPortsAndIpv6) {
    using driver::Endpoint;
    EXPECT_EQ(driver::parse_endpoint("10.0.0.5", 9042), (Endpoint{"10.0.0.5", 9042}));
    EXPECT_EQ(driver::parse_endpoint("cassandra:9142", 9042), (Endpoint{"cassandra", 9142}));
    EXPECT_EQ(driver::parse_endpoint("[::1]:9043", 9042), (Endpoint{"::1", 9043}));
    EXPECT_EQ(driver::parse_endpoint("::1", 9042), (Endpoint{"::1", 9042}));
    EXPECT_EQ((Endpoint{"::1", 9042}).to_string(), "[::1]:9042");
    for (const auto* bad : {"", ":9042", "host:", "host:0", "host:70000", "host:9x", "[::1", "[::1]9042"})
        EXPECT_THROW(driver::parse_endpoint(bad, 9042), std::invalid_argument) << bad;
}

TEST(CqlDriverErrors, NameTheHostAndTheDecodedServerError) {
    const driver::ServerError e("10.0.0.5:9042", {ErrorCode::Unavailable, "Cannot achieve consistency level QUORUM", {}});
    EXPECT_STREQ(e.what(), "cassandra 10.0.0.5:9042: Unavailable (0x1000): Cannot achieve consistency level QUORUM");
    EXPECT_EQ(e.host(), "10.0.0.5:9042");
}

}  // namespace
