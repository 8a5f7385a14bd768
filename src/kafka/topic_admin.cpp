#include "kafka/topic_admin.hpp"

#include <array>
#include <memory>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/log.hpp"

namespace playstream::kafka {
namespace {

template <auto Destroy>
struct Deleter {
    template <typename T>
    void operator()(T* p) const { Destroy(p); }
};
using NewTopicPtr = std::unique_ptr<rd_kafka_NewTopic_t, Deleter<rd_kafka_NewTopic_destroy>>;
using OptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, Deleter<rd_kafka_AdminOptions_destroy>>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, Deleter<rd_kafka_queue_destroy>>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, Deleter<rd_kafka_event_destroy>>;

struct MetadataDeleter {
    void operator()(const rd_kafka_metadata_t* m) const { rd_kafka_metadata_destroy(m); }
};

// Partitions of `topic`, or 0 if the cluster has no such topic. Asks for every topic, because
// asking for one by name makes a broker with auto-creation create it with its default count.
int partition_count(rd_kafka_t* rk, const std::string& topic, int timeout_ms) {
    const rd_kafka_metadata_t* raw = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &raw, timeout_ms);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        throw Error(fmt::format("topic {}: cannot read cluster metadata: {}", topic, rd_kafka_err2str(err)));
    }
    std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> metadata(raw);
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        const auto& t = metadata->topics[i];
        if (topic == t.topic && t.err == RD_KAFKA_RESP_ERR_NO_ERROR) return t.partition_cnt;
    }
    return 0;
}

}  // namespace

void ensure_topic(rd_kafka_t* rk, const std::string& topic, int partitions, int timeout_ms) {
    if (int existing = partition_count(rk, topic, timeout_ms); existing > 0) {
        if (existing != partitions) {
            log::info("kafka", fmt::format("topic {} exists with {} partitions; left as it is", topic, existing),
                      {{"topic", topic}, {"partitions", existing}});
        }
        return;
    }
    std::array<char, 512> err{};
    // -1: let the broker apply its default.replication.factor.
    NewTopicPtr request(rd_kafka_NewTopic_new(topic.c_str(), partitions, -1, err.data(), err.size()));
    if (!request) throw Error(fmt::format("topic {}: {}", topic, err.data()));

    OptionsPtr options(rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS));
    rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout_ms, err.data(), err.size());
    QueuePtr queue(rd_kafka_queue_new(rk));
    rd_kafka_NewTopic_t* topics[] = {request.get()};
    rd_kafka_CreateTopics(rk, topics, 1, options.get(), queue.get());

    EventPtr event(rd_kafka_queue_poll(queue.get(), timeout_ms + 2000));
    if (!event) {
        throw Error(fmt::format("topic {}: the broker did not answer CreateTopics (librdkafka's "
                                "embedded broker does not implement it: start it with "
                                "`playstream broker --topic {}:{}`)", topic, topic, partitions));
    }
    if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        throw Error(fmt::format("topic {}: cannot create: {}", topic,
                                rd_kafka_event_error_string(event.get())));
    }
    size_t count = 0;
    const rd_kafka_topic_result_t** results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event.get()), &count);
    for (size_t i = 0; i < count; ++i) {
        rd_kafka_resp_err_t code = rd_kafka_topic_result_error(results[i]);
        if (code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
            const char* why = rd_kafka_topic_result_error_string(results[i]);
            throw Error(fmt::format("topic {}: cannot create: {}", topic,
                                    why != nullptr ? why : rd_kafka_err2str(code)));
        }
    }
}

}  // namespace playstream::kafka
