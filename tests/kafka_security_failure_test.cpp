// Which librdkafka client errors stop produce and stream (kafka/client_config.hpp): a setting to
// fix, not a broker to wait for.
#include <gtest/gtest.h>

#include "kafka/client_config.hpp"

namespace playstream::kafka {
namespace {

TEST(KafkaSecurityFailure, RejectedCredentialsStop) {
    EXPECT_TRUE(is_security_failure(RD_KAFKA_RESP_ERR__AUTHENTICATION,
                                    "sasl_ssl://127.0.0.1:9094/bootstrap: SASL authentication error: Authentication "
                                    "failed during authentication due to invalid credentials"));
}

TEST(KafkaSecurityFailure, ARefusedCertificateOrTlsToPlaintextStops) {
    EXPECT_TRUE(is_security_failure(RD_KAFKA_RESP_ERR__SSL,
                                    "ssl://b:9094/bootstrap: SSL handshake failed: error:0A000086:SSL routines::"
                                    "certificate verify failed: broker certificate could not be verified"));
    EXPECT_TRUE(is_security_failure(RD_KAFKA_RESP_ERR__SSL,
                                    "ssl://b:9092/bootstrap: SSL handshake failed: error:0A00010B:SSL routines::"
                                    "wrong version number: connecting to a PLAINTEXT broker listener?"));
}

TEST(KafkaSecurityFailure, ABrokerGoneMidHandshakeOrDownIsRetried) {
    EXPECT_FALSE(is_security_failure(RD_KAFKA_RESP_ERR__SSL, "ssl://b:9094/1: SSL handshake failed: Disconnected"));
    EXPECT_FALSE(is_security_failure(RD_KAFKA_RESP_ERR__TRANSPORT, "b:9092/1: Connect to ipv4#127.0.0.1:9092 failed"));
    EXPECT_FALSE(is_security_failure(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, "1/1 brokers are down"));
}

}  // namespace
}  // namespace playstream::kafka
