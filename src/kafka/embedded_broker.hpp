#pragma once

#include <string>

#include "kafka/client_config.hpp"

struct rd_kafka_mock_cluster_s;

namespace playstream::kafka {

// A Kafka-protocol broker in this process: librdkafka's mock cluster. It keeps topics, messages
// and consumer-group offsets in memory for as long as the object lives. Any Kafka client reaches
// it over TCP on 127.0.0.1 at bootstraps().
class EmbeddedBroker {
public:
    explicit EmbeddedBroker(int broker_count = 1);
    ~EmbeddedBroker();
    EmbeddedBroker(const EmbeddedBroker&) = delete;
    EmbeddedBroker& operator=(const EmbeddedBroker&) = delete;

    std::string bootstraps() const;
    void create_topic(const std::string& topic, int partitions);

private:
    HandlePtr owner_;  // the mock cluster lives on this client handle's threads
    rd_kafka_mock_cluster_s* cluster_ = nullptr;
};

}  // namespace playstream::kafka
