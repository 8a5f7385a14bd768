#include "pipeline/reject_sink.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace playstream::pipeline {
namespace {

std::string logged(std::string_view payload, const events::DecodeError& error) {
    LogRejectSink sink;
    ::testing::internal::CaptureStderr();
    sink.reject({"listens", 2, 41}, error, payload);
    return ::testing::internal::GetCapturedStderr();
}

// A payload holding a newline used to print as two lines, the second one forged by the sender.
TEST(LogRejectSink, APayloadCannotForgeALine) {
    const std::string payload = "x\nstream: done: consumed=0 stored=0 rejected=0\x1b[2J";
    const std::string line = logged(payload, {model::RejectReason::NotJson, "not JSON: x"});
    EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << line;
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    EXPECT_EQ(line, "stream: rejected listens/2@41: not_json: not JSON: x (payload: "
                    R"("x\nstream: done: consumed=0 stored=0 rejected=0\x1b[2J"))" "\n");
}

TEST(LogRejectSink, AHugePayloadGivesACappedLine) {
    const std::string payload(4 << 20, 'z');
    const std::string line = logged(payload, {model::RejectReason::NotJson, "not JSON"});
    EXPECT_LT(line.size(), 400u);
    EXPECT_NE(line.find("... (4194104 more bytes))"), std::string::npos) << line;
}

TEST(LogRejectSink, ATombstoneIsLoggedWithItsReason) {
    const std::string line = logged(std::string_view(), {model::RejectReason::NullValue, "NULL"});
    EXPECT_EQ(line, "stream: rejected listens/2@41: null_value: NULL (payload: \"\")\n");
}

}  // namespace
}  // namespace playstream::pipeline
