#include "kafka/embedded_broker.hpp"

#include <librdkafka/rdkafka_mock.h>

#include <fmt/format.h>

#include "util/error.hpp"

namespace playstream::kafka {

EmbeddedBroker::EmbeddedBroker(int broker_count)
    : owner_(make_handle(RD_KAFKA_PRODUCER, make_conf({{"log_level", "3"}}))) {
    cluster_ = rd_kafka_mock_cluster_new(owner_.get(), broker_count);
    if (cluster_ == nullptr) throw Error("cannot start the embedded Kafka broker");
}

EmbeddedBroker::~EmbeddedBroker() { rd_kafka_mock_cluster_destroy(cluster_); }

std::string EmbeddedBroker::bootstraps() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

void EmbeddedBroker::create_topic(const std::string& topic, int partitions) {
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
        throw Error(fmt::format("embedded broker: cannot create topic {}: {}", topic,
                                rd_kafka_err2str(err)));
    }
}

}  // namespace playstream::kafka
