#include "kafka/consumer.hpp"

#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "kafka/fetch_bound.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace playstream::kafka {

Settings consumer_settings(const ConsumerOptions& options) {
    Settings settings{
        {"bootstrap.servers", options.brokers},
        {"group.id", options.group},
        // Not options.from: a reset is the owner's to make, so that one past the log's start
        // (messages the broker deleted unread) is reported, never a silent jump.
        {"auto.offset.reset", "error"},
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        // How long the broker may hold a fetch that found nothing new. Events sent at 20,000/s to
        // a caught-up stream were stored (SQLite, whose writes took p99 <= 25 ms) with p99 66-114 ms
        // at 50 and 28-64 ms at 10, three runs each on a 2-core machine: the wait showed in the
        // tail though data kept coming. The cost is more empty fetches while idle.
        {"fetch.wait.max.ms", "10"},
        // Kafka's 45 s default keeps a dead member's partitions idle that long; we hold no long
        // pauses (no GC), so a shorter timeout hands them on sooner.
        {"session.timeout.ms", "10000"},
        {"heartbeat.interval.ms", "3000"},
        // A subscribed topic that does not exist yet is noticed within 10 s of its creation
        // (librdkafka's default is 5 min).
        {"topic.metadata.refresh.interval.ms", "10000"},
        {"log_level", "4"},
    };
    if (options.statistics) settings.emplace_back("statistics.interval.ms", "1000");
    // Prefetch a few batches in bytes, not a 16 MiB queue of 16 MiB fetches (~235 MB on a backlog).
    const Settings bound = fetch_bound_settings(options.batch_size, options.extra);
    settings.insert(settings.end(), bound.begin(), bound.end());
    settings.insert(settings.end(), options.extra.begin(), options.extra.end());
    return settings;
}

Consumer::Consumer(const ConsumerOptions& options, RebalanceListener on_rebalance)
    : topic_(options.topic), from_(options.from), on_rebalance_(std::move(on_rebalance)) {
    const Settings settings = consumer_settings(options);
    rd_kafka_conf_t* conf = make_conf(settings);
    rd_kafka_conf_set_rebalance_cb(conf, &Consumer::on_rebalance);
    rd_kafka_conf_set_error_cb(conf, &Consumer::on_error);
    if (options.statistics) rd_kafka_conf_set_stats_cb(conf, &Consumer::on_statistics);
    rd_kafka_conf_set_opaque(conf, this);
    handle_ = make_handle(RD_KAFKA_CONSUMER, conf);
    rd_kafka_poll_set_consumer(handle_.get());
    commit_queue_.reset(rd_kafka_queue_new(handle_.get()));

    PartitionListPtr topics(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(topics.get(), topic_.c_str(), RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t err = rd_kafka_subscribe(handle_.get(), topics.get());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        throw Error(fmt::format("subscribe to {}: {}", topic_, rd_kafka_err2str(err)));
    }
}

Consumer::~Consumer() {
    try {
        close();
    } catch (const std::exception&) {
        // Destruction must not throw; the group coordinator times the member out instead.
    }
}

void Consumer::on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    auto* self = static_cast<Consumer*>(opaque);
    const bool assigned = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
    const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    if (!assigned && !self->listener_error_) {
        try {  // store and commit before the partitions go
            self->on_rebalance_(Rebalance::Revoking, partitions->cnt);
        } catch (...) {
            self->listener_error_ = std::current_exception();
        }
    }
    // Where to start is decided here, not by librdkafka's auto.offset.reset (set to error), so
    // that a reset it reports is always an offset outside the log.
    if (assigned) self->resolve_start_offsets(partitions);
    // The assignment always changes hands, or the group's rebalance never completes.
    std::string failure;
    if (cooperative) {
        rd_kafka_error_t* e = assigned ? rd_kafka_incremental_assign(rk, partitions)
                                       : rd_kafka_incremental_unassign(rk, partitions);
        if (e != nullptr) {
            failure = rd_kafka_error_string(e);
            rd_kafka_error_destroy(e);
        }
    } else if (rd_kafka_resp_err_t e = rd_kafka_assign(rk, assigned ? partitions : nullptr); e) {
        failure = rd_kafka_err2str(e);
    }
    if (!failure.empty()) {
        log::error("stream", fmt::format("kafka: {} of {} partitions of {} failed: {}",
                                         assigned ? "assignment" : "revocation", partitions->cnt,
                                         self->topic_, failure),
                   {{"topic", self->topic_}});
    } else if (assigned && !self->listener_error_) {
        try {
            self->on_rebalance_(Rebalance::Assigned, partitions->cnt);
        } catch (...) {
            self->listener_error_ = std::current_exception();
        }
    }
}

void Consumer::resolve_start_offsets(rd_kafka_topic_partition_list_t* partitions) {
    PartitionListPtr committed(rd_kafka_topic_partition_list_copy(partitions));
    if (rd_kafka_committed(handle_.get(), committed.get(), 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
    const std::int64_t start = from_ == StartFrom::Latest ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
    for (int i = 0; i < partitions->cnt; ++i) {
        if (partitions->elems[i].offset != RD_KAFKA_OFFSET_INVALID) continue;
        const std::int64_t offset = committed->elems[i].offset;
        partitions->elems[i].offset = offset >= 0 ? offset : start;
    }
}

void Consumer::on_error(rd_kafka_t*, int err, const char* reason, void* opaque) {
    auto* self = static_cast<Consumer*>(opaque);
    if (self->errors_.size() < 100) {  // served on the polling thread; a bound if nobody drains
        self->errors_.push_back({static_cast<rd_kafka_resp_err_t>(err), reason});
    }
}

int Consumer::on_statistics(rd_kafka_t*, char* json, std::size_t len, void* opaque) {
    auto* self = static_cast<Consumer*>(opaque);
    std::optional<ConsumerStats> stats = parse_consumer_stats({json, len}, self->topic_);
    if (!stats) return 0;
    std::lock_guard lock(self->stats_mutex_);
    self->stats_ = std::move(*stats);
    return 0;  // librdkafka frees the JSON
}

ConsumerStats Consumer::stats() const {
    std::lock_guard lock(stats_mutex_);
    return stats_;
}

void Consumer::rethrow_listener_error() {
    if (listener_error_) std::rethrow_exception(std::exchange(listener_error_, nullptr));
}

MessagePtr Consumer::poll(int timeout_ms) {
    MessagePtr message(rd_kafka_consumer_poll(handle_.get(), timeout_ms));
    rethrow_listener_error();
    return message;
}

PartitionListPtr Consumer::offset_list(std::span<const PartitionOffset> offsets) const {
    PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
    for (const auto& o : offsets) {
        rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), o.partition)->offset =
            o.next_offset;
    }
    return list;
}

rd_kafka_resp_err_t Consumer::commit(std::span<const PartitionOffset> offsets) {
    if (offsets.empty()) return RD_KAFKA_RESP_ERR_NO_ERROR;
    // What rd_kafka_commit does when synchronous (a queue of its own for the answer), with a
    // bounded wait. A late answer goes to a queue that is gone, and librdkafka drops it.
    std::unique_ptr<rd_kafka_queue_t, decltype(&rd_kafka_queue_destroy)> answer(rd_kafka_queue_new(handle_.get()),
                                                                               &rd_kafka_queue_destroy);
    rd_kafka_resp_err_t err = rd_kafka_commit_queue(handle_.get(), offset_list(offsets).get(), answer.get(),
                                                    nullptr, nullptr);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return err;
    rd_kafka_event_t* event = rd_kafka_queue_poll(answer.get(), static_cast<int>(kCommitWait.count()));
    if (event == nullptr) return RD_KAFKA_RESP_ERR__TIMED_OUT;
    err = rd_kafka_event_error(event);
    rd_kafka_event_destroy(event);
    return err;
}

rd_kafka_resp_err_t Consumer::commit_async(std::span<const PartitionOffset> offsets) {
    if (offsets.empty()) return RD_KAFKA_RESP_ERR_NO_ERROR;
    const auto err = rd_kafka_commit_queue(handle_.get(), offset_list(offsets).get(), commit_queue_.get(),
                                           &Consumer::on_commit, this);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) ++commits_awaited_;
    return err;
}

void Consumer::on_commit(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets,
                         void* opaque) {
    auto* self = static_cast<Consumer*>(opaque);
    for (int i = 0; err == RD_KAFKA_RESP_ERR_NO_ERROR && offsets != nullptr && i < offsets->cnt; ++i) {
        err = offsets->elems[i].err;
    }
    self->commit_results_.push_back(err);
    if (self->commits_awaited_ > 0) --self->commits_awaited_;
}

std::vector<rd_kafka_resp_err_t> Consumer::take_commit_results() {
    if (commit_queue_ && commits_awaited_ > 0) rd_kafka_queue_poll_callback(commit_queue_.get(), 0);
    return std::exchange(commit_results_, {});
}

void Consumer::abandon() {
    if (closed_) return;
    closed_ = true;
    commit_queue_.reset();  // a queue outliving its handle would be destroyed after it
    rd_kafka_destroy_flags(handle_.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

void Consumer::close() {
    if (closed_) return;
    closed_ = true;
    rd_kafka_consumer_close(handle_.get());
    rethrow_listener_error();
}

}  // namespace playstream::kafka
