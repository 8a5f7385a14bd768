#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "kafka/client_config.hpp"
#include "kafka/consumer_stats.hpp"
#include "pipeline/source.hpp"

namespace playstream::kafka {

// Where a group with no committed offset starts reading (`--from`).
enum class StartFrom { Earliest, Latest };

struct ConsumerOptions {
    std::string brokers;
    std::string group = "playstream";
    std::string topic;
    StartFrom from = StartFrom::Earliest;
    Settings extra;           // -X: the user's librdkafka settings, which win over ours
    bool statistics = false;  // librdkafka statistics every second, read by stats()
    // Messages per store write (`--batch-size`): the fetches are bounded from it (fetch_bound.hpp).
    std::size_t batch_size = 10000;
};

// The librdkafka settings of the group consumer for `options`: ours, the fetch bound derived from
// the batch size, then the user's (-X), so that theirs win.
Settings consumer_settings(const ConsumerOptions& options);

struct MessageDeleter {
    void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

// Next offset to read in one partition of the consumer's topic: what a commit stores.
using PartitionOffset = pipeline::PartitionOffset;

enum class Rebalance { Assigned, Revoking };

// What the owner hears of a rebalance: assigned `partitions`, or about to lose `partitions`.
using RebalanceListener = std::function<void(Rebalance event, int partitions)>;

// A consumer-group member on one topic. Offsets are never committed automatically: the owner
// commits what its store has acknowledged. A committed offset outside the partition's log is
// never silently replaced (auto.offset.reset=error): poll() returns an
// RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET event for the owner to act on (see KafkaSource). `on_rebalance` hears of each assignment, and runs
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
    // Synchronous commit; returns the broker's answer (NO_ERROR on success), or
    // RD_KAFKA_RESP_ERR__TIMED_OUT when none came within kCommitWait.
    rd_kafka_resp_err_t commit(std::span<const PartitionOffset> offsets);
    // librdkafka's own synchronous commit waits for as long as the group has no coordinator: a
    // broker gone as `stream` stopped held it for minutes. Kafka Connect bounds the same wait
    // (offset.flush.timeout.ms, 5 s); the rows are stored, so an offset left uncommitted only
    // means rows rewritten unchanged by whoever reads them again.
    static constexpr std::chrono::milliseconds kCommitWait{10000};
    // Asynchronous commit: returns at once (an error only if it could not even be queued); the
    // broker's answer comes from take_commit_results().
    rd_kafka_resp_err_t commit_async(std::span<const PartitionOffset> offsets);
    // The answers to asynchronous commits that came since the last call, oldest first.
    std::vector<rd_kafka_resp_err_t> take_commit_results();
    // Client-level errors (brokers down, transport, fatal) that librdkafka reported since the
    // last call, oldest first; librdkafka serves them during poll(), not as messages.
    struct ClientError {
        rd_kafka_resp_err_t code;
        std::string reason;
    };
    std::vector<ClientError> take_errors() { return std::exchange(errors_, {}); }
    // Leaves the group (running on_revoke first). Idempotent.
    void close();
    // Closes without leaving the group (no revocation, no final commit): for when no broker
    // answers, where a graceful close would wait up to a session timeout for nothing. The group
    // times the member out; uncommitted messages are read again.
    void abandon();

    const std::string& topic() const { return topic_; }
    // Where a group with no committed offset starts: "earliest" or "latest".
    StartFrom from() const { return from_; }
    rd_kafka_t* handle() const { return handle_.get(); }
    // Sets each partition of `partitions` whose offset is INVALID to where reading starts: the
    // group's committed offset, or --from's end of the log when there is none. Blocking (asks
    // the group coordinator); on failure leaves the list as it is.
    void resolve_start_offsets(rd_kafka_topic_partition_list_t* partitions);
    // Lag per partition and brokers up, from the latest statistics (with options.statistics).
    ConsumerStats stats() const;

private:
    static int on_statistics(rd_kafka_t*, char* json, std::size_t len, void* opaque);
    static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                             rd_kafka_topic_partition_list_t* partitions, void* opaque);

    static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque);
    static void on_commit(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* offsets, void* opaque);
    PartitionListPtr offset_list(std::span<const PartitionOffset> offsets) const;
    void rethrow_listener_error();

    std::string topic_;
    StartFrom from_;

    RebalanceListener on_rebalance_;
    std::exception_ptr listener_error_;  // never thrown through librdkafka's C frames
    std::vector<ClientError> errors_;
    mutable std::mutex stats_mutex_;  // before handle_: it outlives every callback
    ConsumerStats stats_;
    std::vector<rd_kafka_resp_err_t> commit_results_;
    // Asynchronous commits not answered yet: with none, take_commit_results has nothing to poll
    // for (it was called between every two messages, a lock and a clock read in librdkafka).
    std::size_t commits_awaited_ = 0;
    HandlePtr handle_;
    // Where librdkafka posts the answers to asynchronous commits; destroyed before handle_.
    std::unique_ptr<rd_kafka_queue_t, decltype(&rd_kafka_queue_destroy)> commit_queue_{nullptr, &rd_kafka_queue_destroy};
    bool closed_ = false;
};

}  // namespace playstream::kafka
