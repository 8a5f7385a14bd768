#include "kafka/kafka_source.hpp"

#include <fmt/format.h>

#include "kafka/dead_letter_producer.hpp"  // shared_client_settings
#include "util/error.hpp"

namespace playstream::kafka {

using namespace std::chrono_literals;

class KafkaSource::Listening {
public:
    Listening(KafkaSource& source, pipeline::SourceListener& listener) : source_(source) {
        source_.listener_ = &listener;
    }
    ~Listening() { source_.listener_ = nullptr; }
    Listening(const Listening&) = delete;
    Listening& operator=(const Listening&) = delete;

private:
    KafkaSource& source_;
};

KafkaSource::KafkaSource(const ConsumerOptions& options)
    : options_(options),
      consumer_(options, [this](Rebalance event, int partitions) {
          if (event == Rebalance::Assigned) unreachable_ = false;  // a coordinator answered
          if (listener_ == nullptr) return;
          listener_->on_event({.kind = event == Rebalance::Assigned
                                           ? pipeline::SourceEvent::Kind::Assigned
                                           : pipeline::SourceEvent::Kind::Revoking,
                               .partitions = partitions});
      }) {}

const pipeline::SourceMessage* KafkaSource::poll(std::chrono::milliseconds timeout,
                                                 pipeline::SourceListener& listener) {
    Listening listening(*this, listener);
    current_.reset();  // the previous message's views end here, as documented
    if (unreachable_ && Clock::now() >= next_probe_) probe_brokers(listener);
    MessagePtr message = consumer_.poll(static_cast<int>(timeout.count()));
    for (const Consumer::ClientError& e : consumer_.take_errors()) on_client_error(e, listener);
    report_commits(listener);
    if (!message) return nullptr;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        on_error(*message, listener);
        return nullptr;
    }
    if (unreachable_) set_reachable(true, "", listener);
    current_ = std::move(message);
    return view(*current_);
}

std::span<const pipeline::Header> KafkaSource::read_headers(const rd_kafka_message_t& m) {
    headers_.clear();
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(&m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name = nullptr;
        const void* value = nullptr;
        std::size_t size = 0;
        for (std::size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
                                RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
            headers_.push_back({name, {static_cast<const char*>(value), size}});
        }
    }
    return headers_;
}

const pipeline::SourceMessage* KafkaSource::view(const rd_kafka_message_t& m) {
    message_ = {
        .topic = consumer_.topic(),
        .partition = m.partition,
        .offset = m.offset,
        .timestamp_ms = rd_kafka_message_timestamp(&m, nullptr),
        .key = {static_cast<const char*>(m.key), m.key_len},
        .payload = {static_cast<const char*>(m.payload), m.len},
        .headers = [this, &m] { return read_headers(m); },
    };
    return &message_;
}

void KafkaSource::report_commits(pipeline::SourceListener& listener) {
    for (rd_kafka_resp_err_t err : consumer_.take_commit_results()) {
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            listener.on_event({.kind = pipeline::SourceEvent::Kind::Committed});
        } else {
            listener.on_event({.kind = pipeline::SourceEvent::Kind::CommitFailed, .text = rd_kafka_err2str(err)});
        }
    }
}

void KafkaSource::on_error(const rd_kafka_message_t& message, pipeline::SourceListener& listener) {
    switch (message.err) {
        case RD_KAFKA_RESP_ERR__PARTITION_EOF:
            if (unreachable_) set_reachable(true, "", listener);
            return;
        case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
            reset_offset(message, listener);
            return;
        default:
            break;
    }
    std::string text = message.partition >= 0
        ? fmt::format("partition {}: {}", message.partition, rd_kafka_message_errstr(&message))
        : std::string(rd_kafka_message_errstr(&message));
    listener.on_event({.kind = pipeline::SourceEvent::Kind::Error,
                       .fatal = message.err == RD_KAFKA_RESP_ERR__FATAL,
                       .text = std::move(text)});
}

void KafkaSource::on_client_error(const Consumer::ClientError& error,
                                  pipeline::SourceListener& listener) {
    if (error.code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
        set_reachable(false, error.reason, listener);
        return;
    }
    listener.on_event({.kind = pipeline::SourceEvent::Kind::Error,
                       .fatal = error.code == RD_KAFKA_RESP_ERR__FATAL || is_security_failure(error.code, error.reason),
                       .text = error.reason});
}

// librdkafka stopped fetching the partition (auto.offset.reset=error) because its position is
// not in the log: no committed offset yet, or one the broker no longer (or never) had.
void KafkaSource::reset_offset(const rd_kafka_message_t& message, pipeline::SourceListener& listener) {
    const std::int32_t partition = message.partition;
    const std::int64_t at = message.offset;
    std::int64_t low = 0;
    std::int64_t high = 0;
    if (rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
            consumer_.handle(), consumer_.topic().c_str(), partition, &low, &high, 10000);
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        throw Error(fmt::format("kafka: {}/{}: the read position {} is out of range and the "
                                "partition's offsets cannot be read: {}", consumer_.topic(),
                                partition, at, rd_kafka_err2str(err)));
    }
    std::int64_t target = consumer_.from() == StartFrom::Latest ? high : low;
    if (at >= 0) {  // a committed (or fetched) offset, not "none yet"
        target = at < low ? low : consumer_.from() == StartFrom::Latest ? high : low;
        listener.on_event({.kind = pipeline::SourceEvent::Kind::DataLoss,
                           .text = at < low ? "" : fmt::format(
                               "the offset is past the log's end {}: the topic was truncated or "
                               "recreated", high),
                           .partition = partition, .committed = at, .new_offset = target,
                           .skipped = at < low ? low - at : 0});
    }
    if (std::string failure = restart_at(partition, target); !failure.empty()) {
        throw Error(fmt::format("kafka: {}/{}: cannot move the read position from {} to {}: {}",
                                consumer_.topic(), partition, at, target, failure));
    }
}

// A partition stopped by an offset reset cannot be seek()ed (librdkafka: "erroneous state"): it
// is assigned again at `target`, the others at the position this consumer has reached in them.
std::string KafkaSource::restart_at(std::int32_t partition, std::int64_t target) {
    rd_kafka_t* rk = consumer_.handle();
    auto message = [](rd_kafka_error_t* e) {
        std::string text = e == nullptr ? "" : rd_kafka_error_string(e);
        if (e != nullptr) rd_kafka_error_destroy(e);
        return text;
    };
    if (std::string_view(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE") {
        PartitionListPtr one(rd_kafka_topic_partition_list_new(1));
        rd_kafka_topic_partition_list_add(one.get(), consumer_.topic().c_str(), partition)->offset = target;
        if (std::string failure = message(rd_kafka_incremental_unassign(rk, one.get())); !failure.empty()) {
            return failure;
        }
        return message(rd_kafka_incremental_assign(rk, one.get()));
    }
    rd_kafka_topic_partition_list_t* raw = nullptr;
    if (rd_kafka_resp_err_t err = rd_kafka_assignment(rk, &raw); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return rd_kafka_err2str(err);
    }
    PartitionListPtr assignment(raw);
    rd_kafka_position(rk, assignment.get());  // INVALID where nothing was consumed yet
    consumer_.resolve_start_offsets(assignment.get());
    for (int i = 0; i < assignment->cnt; ++i) {
        if (assignment->elems[i].partition == partition) assignment->elems[i].offset = target;
    }
    rd_kafka_resp_err_t err = rd_kafka_assign(rk, assignment.get());
    return err == RD_KAFKA_RESP_ERR_NO_ERROR ? "" : rd_kafka_err2str(err);
}

void KafkaSource::set_reachable(bool reachable, const std::string& why,
                                pipeline::SourceListener& listener) {
    unreachable_ = !reachable;
    next_probe_ = Clock::now() + 5s;
    listener.on_event({.kind = reachable ? pipeline::SourceEvent::Kind::Reachable
                                         : pipeline::SourceEvent::Kind::Unreachable,
                       .text = why});
}

// librdkafka reports "all brokers down" but not their return: ask one for metadata now and then.
void KafkaSource::probe_brokers(pipeline::SourceListener& listener) {
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(consumer_.handle(), 0, nullptr, &metadata, 1000);
    if (metadata != nullptr) rd_kafka_metadata_destroy(metadata);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        set_reachable(true, "", listener);
    } else {
        next_probe_ = Clock::now() + 5s;
    }
}

std::string KafkaSource::commit(std::span<const pipeline::PartitionOffset> offsets) {
    rd_kafka_resp_err_t err = consumer_.commit(offsets);
    if (err == RD_KAFKA_RESP_ERR__TIMED_OUT) {
        commit_unanswered_ = true;  // leaving the group would wait on the same coordinator
        return fmt::format("no answer from the group coordinator within {} s",
                           std::chrono::duration_cast<std::chrono::seconds>(Consumer::kCommitWait).count());
    }
    return err == RD_KAFKA_RESP_ERR_NO_ERROR ? std::string() : std::string(rd_kafka_err2str(err));
}

std::optional<std::string> KafkaSource::commit_async(std::span<const pipeline::PartitionOffset> offsets) {
    rd_kafka_resp_err_t err = consumer_.commit_async(offsets);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return std::string(rd_kafka_err2str(err));
    return std::nullopt;
}

// A plain consumer (assigned, never subscribed: it does not join the group) with the group
// consumer's security and socket settings, fetching one message. Made only when needed: a row
// the store refuses for good is rare.
const pipeline::SourceMessage* KafkaSource::reread(std::int32_t partition, std::int64_t offset) {
    reread_.reset();
    if (!rereader_) {
        Settings settings{{"bootstrap.servers", options_.brokers},
                          {"group.id", options_.group + "-reread"},  // never joined: assign() only
                          {"enable.auto.commit", "false"},
                          {"auto.offset.reset", "error"},
                          {"log_level", "4"}};
        const Settings shared = shared_client_settings(options_.extra);
        settings.insert(settings.end(), shared.begin(), shared.end());
        rereader_ = make_handle(RD_KAFKA_CONSUMER, make_conf(settings));
    }
    PartitionListPtr one(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(one.get(), consumer_.topic().c_str(), partition)->offset = offset;
    if (rd_kafka_assign(rereader_.get(), one.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) return nullptr;
    const auto deadline = Clock::now() + 30s;
    while (Clock::now() < deadline) {
        MessagePtr m(rd_kafka_consumer_poll(rereader_.get(), 100));
        if (!m) continue;
        if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && m->partition == partition) {
            if (m->offset != offset) return nullptr;  // gone (compacted away)
            reread_ = std::move(m);
            return view(*reread_);
        }
        if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) return nullptr;
    }
    return nullptr;
}

void KafkaSource::close(pipeline::SourceListener& listener) {
    Listening listening(*this, listener);
    current_.reset();
    reread_.reset();
    rereader_.reset();
    if (unreachable_ || commit_unanswered_) {
        consumer_.abandon();
    } else {
        consumer_.close();
        report_commits(listener);  // the answers to the last asynchronous commits, for the counts
    }
}

}  // namespace playstream::kafka
