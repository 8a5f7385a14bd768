// Inputs checked at the edge outside src/cli: -X settings never echo their value, and a store URI
// with a bad port is a usage error.
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "kafka/client_config.hpp"
#include "store/store_uri.hpp"
#include "util/error.hpp"

namespace playstream {
namespace {

std::string conf_error(const kafka::Settings& settings) {
    try {
        rd_kafka_conf_destroy(kafka::make_conf(settings));
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(KafkaSettings, ErrorsNameTheKeyButNeverEchoTheValue) {
    std::string unknown = conf_error({{"sasl.pasword", "hunter2"}});
    EXPECT_NE(unknown.find("sasl.pasword"), std::string::npos) << unknown;
    EXPECT_EQ(unknown.find("hunter2"), std::string::npos) << unknown;
    std::string invalid = conf_error({{"session.timeout.ms", "hunter2"}});
    EXPECT_NE(invalid.find("session.timeout.ms"), std::string::npos) << invalid;
    EXPECT_EQ(invalid.find("hunter2"), std::string::npos) << invalid;
    EXPECT_EQ(conf_error({{"client.id", "me"}}), "");
}

TEST(StoreUri, BadPortIsAUsageError) {
    EXPECT_THROW(store::parse_store_uri("cassandra://h:99999/ks"), UsageError);
    EXPECT_THROW(store::parse_store_uri("cassandra://h:0/ks"), UsageError);
    EXPECT_THROW(store::parse_store_uri("cassandra://h:x/ks"), UsageError);
    EXPECT_THROW(store::parse_store_uri("cassandra://a,[::1/ks"), UsageError);
    auto address = std::get<store::CassandraAddress>(store::parse_store_uri("cassandra://a:9043,[::1]:9044/ks"));
    EXPECT_EQ(address.contact_points.size(), 2u);
    EXPECT_EQ(address.keyspace, "ks");
}

}  // namespace
}  // namespace playstream
