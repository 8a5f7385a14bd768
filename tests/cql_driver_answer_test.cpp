// The protocol boundary: a response is the answer a request expected, or an error naming the
// node and the request; and the message names come from the opcode names.
#include <gtest/gtest.h>

#include <string>

#include "cql/driver/answer.hpp"

namespace cql = playstream::cql;
namespace driver = playstream::cql::driver;
namespace res = playstream::cql::response;

namespace {

cql::Response with(decltype(cql::Response::body) body) {
    cql::Response r;
    r.body = std::move(body);
    return r;
}

TEST(CqlDriverAnswer, GivesTheExpectedMessageOrKindOfResult) {
    res::Prepared p;
    p.id = {1, 2};
    const auto prepared = driver::expect_answer<res::Prepared>(with(res::Result{p}), "n1:9042", "PREPARE");
    EXPECT_EQ(prepared.id, p.id);
    const auto supported =
        driver::expect_answer<res::Supported>(with(res::Supported{{{"CQL_VERSION", {"3.4.7"}}}}), "n1", "OPTIONS");
    EXPECT_EQ(supported.options.at("CQL_VERSION").front(), "3.4.7");
}

TEST(CqlDriverAnswer, AnErrorAnswerIsAServerErrorNamingTheNode) {
    try {
        driver::expect_answer<res::Rows>(with(res::Error{res::ErrorCode::Invalid, "no such table", {}}), "n1:9042",
                                         "'SELECT x'");
        FAIL() << "no error";
    } catch (const driver::ServerError& e) {
        EXPECT_EQ(e.code(), res::ErrorCode::Invalid);
        EXPECT_EQ(e.host(), "n1:9042");
        EXPECT_NE(std::string(e.what()).find("no such table"), std::string::npos) << e.what();
    }
}

TEST(CqlDriverAnswer, AnotherAnswerIsAConnectionErrorNamingNodeMessageAndRequest) {
    for (auto r : {with(res::Ready{}), with(res::Result{res::Void{}})}) {
        try {
            driver::expect_answer<res::Prepared>(std::move(r), "n2:9042", "PREPARE");
            FAIL() << "no error";
        } catch (const driver::ConnectionError& e) {
            const std::string what = e.what();
            EXPECT_TRUE(e.request_sent());
            EXPECT_NE(what.find("cassandra n2:9042: "), std::string::npos) << what;
            EXPECT_NE(what.find(" in answer to PREPARE"), std::string::npos) << what;
        }
    }
}

TEST(CqlResponse, MessageNamesAreTheOpcodeNames) {
    EXPECT_EQ(cql::message_name(with(res::Ready{})), "READY");
    EXPECT_EQ(cql::message_name(with(res::AuthSuccess{})), "AUTH_SUCCESS");
    EXPECT_EQ(cql::opcode_of(with(res::Result{res::Void{}})), cql::Opcode::Result);
    EXPECT_EQ(cql::message_name(with(res::Error{})), "ERROR");
}

}  // namespace
