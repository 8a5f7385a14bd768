// The consumer's fetch bound (kafka/fetch_bound.hpp): what librdkafka is given for a batch size,
// that librdkafka accepts it, and that the user's -X settings win.
#include <cstring>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "kafka/consumer.hpp"
#include "kafka/fetch_bound.hpp"

namespace playstream::kafka {
namespace {

// The configuration a consumer handle really runs with (after librdkafka's own adjustments).
std::map<std::string, std::string> effective(const ConsumerOptions& options) {
    HandlePtr handle = make_handle(RD_KAFKA_CONSUMER, make_conf(consumer_settings(options)));
    std::size_t count = 0;
    const char** dump = rd_kafka_conf_dump(const_cast<rd_kafka_conf_t*>(rd_kafka_conf(handle.get())), &count);
    std::map<std::string, std::string> config;
    for (std::size_t i = 0; i + 1 < count; i += 2) config[dump[i]] = dump[i + 1];
    rd_kafka_conf_dump_free(dump, count);
    return config;
}

ConsumerOptions options(std::size_t batch_size, Settings extra = {}) {
    return {.brokers = "127.0.0.1:1", .group = "g", .topic = "t", .extra = std::move(extra), .batch_size = batch_size};
}

TEST(KafkaFetchBound, TheDefaultBatchFetchesATenthOfABatchOfBytesAndQueuesEight) {
    const auto config = effective(options(10000));
    EXPECT_EQ(config.at("fetch.max.bytes"), "150000");               // 10,000 x 150 B / 10
    EXPECT_EQ(config.at("message.max.bytes"), "150000");             // lowered with it
    EXPECT_EQ(config.at("queued.max.messages.kbytes"), "11719");     // 8 x 10,000 x 150 B, in KiB rounded up
    EXPECT_EQ(config.at("receive.message.max.bytes"), "100000000");  // librdkafka's, above the fetch
}

TEST(KafkaFetchBound, GrowsWithTheBatchUpToLibrdkafkasLimits) {
    auto config = effective(options(100000));
    EXPECT_EQ(config.at("fetch.max.bytes"), "1500000");
    EXPECT_EQ(config.at("queued.max.messages.kbytes"), "65536");
    config = effective(options(20000000));
    EXPECT_EQ(config.at("fetch.max.bytes"), "52428800");
    EXPECT_EQ(config.at("message.max.bytes"), "52428800");
}

TEST(KafkaFetchBound, ASmallBatchStillFetches64KiBAndAUsersMessageMaxBytesRaisesIt) {
    auto config = effective(options(1));
    EXPECT_EQ(config.at("fetch.max.bytes"), "65536");
    EXPECT_EQ(config.at("queued.max.messages.kbytes"), "1024");
    // librdkafka refuses a fetch.max.bytes below message.max.bytes: the handle would not start.
    config = effective(options(1000, {{"message.max.bytes", "2000000"}}));
    EXPECT_EQ(config.at("fetch.max.bytes"), "2000000");
    EXPECT_EQ(config.at("message.max.bytes"), "2000000");
}

TEST(KafkaFetchBound, TheUsersSettingsWin) {
    const auto config = effective(options(10000, {{"fetch.max.bytes", "16777216"}, {"queued.max.messages.kbytes", "16384"}}));
    EXPECT_EQ(config.at("fetch.max.bytes"), "16777216");
    EXPECT_EQ(config.at("queued.max.messages.kbytes"), "16384");
    EXPECT_EQ(config.at("message.max.bytes"), "1000000");  // the user's fetch: librdkafka's own
    // One given, the other still derived; and not set twice (the user's stays the only one).
    const Settings settings = consumer_settings(options(10000, {{"queued.max.messages.kbytes", "65536"}}));
    int queued = 0;
    for (const auto& [key, value] : settings) {
        if (key == "queued.max.messages.kbytes") ++queued;
        if (key == "fetch.max.bytes") {
            EXPECT_EQ(value, "150000");
        }
    }
    EXPECT_EQ(queued, 1);
    EXPECT_EQ(effective(options(10000, {{"queued.max.messages.kbytes", "65536"}})).at("queued.max.messages.kbytes"), "65536");
}

}  // namespace
}  // namespace playstream::kafka
