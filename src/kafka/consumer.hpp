#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kafka/client_config.hpp"
#include "kafka/consumer_stats.hpp"

namespace playstream::kafka {

struct ConsumerOptions {
    std::string brokers;
    std::string group = "playstream";
    std::string topic;
    std::string from = "earliest";  // where a group with no committed offset starts
    Settings extra;
    bool statistics = false;  // librdkafka statistics every second, read by stats()
};

struct MessageDeleter {
    void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

// Next offset to read in one partition of the consumer's topic: what a commit stores.
struct PartitionOffset {
    std::int32_t partition = 0;
    std::int64_t next_offset = 0;
};

enum class Rebalance { assigned, revoking };

// What the owner hears of a rebalance: assigned `partitions`, or about to lose `partitions`.
using RebalanceListener = std::function<void(Rebalance event, int partitions)>;

// A consumer-group member on one topic. Offsets are never committed automatically: the owner
// commits what its store has acknowledged. `on_rebalance` hears of each assignment, and runs
// before partitions are taken away (in a rebalance or at close), so the owner can store and
// commit what it holds for them first.
class Consumer {
public:
    Consumer(const ConsumerOptions& options, RebalanceListener on_rebalance);
    ~Consumer();
    Consumer(const Consumer&) = delete;
    Consumer& operator=(const Consumer&) = delete;

    // The next message or error event, or null when none came within timeout_ms. Rethrows what
    // the rebalance listener threw (held until librdkafka's call returned).
    MessagePtr poll(int timeout_ms);
    // Synchronous commit; returns the broker's answer (NO_ERROR on success).
    rd_kafka_resp_err_t commit(const std::vector<PartitionOffset>& offsets);
    // Leaves the group (running on_revoke first). Idempotent.
    void close();

    const std::string& topic() const { return topic_; }
    // Lag per partition and brokers up, from the latest statistics (with options.statistics).
    ConsumerStats stats() const;

private:
    static int on_statistics(rd_kafka_t*, char* json, std::size_t len, void* opaque);
    static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                             rd_kafka_topic_partition_list_t* partitions, void* opaque);

    std::string topic_;
    void rethrow_listener_error();

    RebalanceListener on_rebalance_;
    std::exception_ptr listener_error_;  // never thrown through librdkafka's C frames
    mutable std::mutex stats_mutex_;  // before handle_: it outlives every callback
    ConsumerStats stats_;
    HandlePtr handle_;
    bool closed_ = false;
};

}  // namespace playstream::kafka
