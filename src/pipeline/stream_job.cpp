#include "pipeline/stream_job.hpp"

#include <algorithm>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/fault_point.hpp"

namespace playstream::pipeline {

using namespace std::chrono_literals;

StreamJob::StreamJob(StreamOptions options, const catalog::Catalog& catalog, store::Store& store,
                     RejectSink& rejects)
    : options_(std::move(options)), store_(store), rejects_(rejects), processor_(catalog) {}

Counters StreamJob::run(const std::atomic<bool>& stop) {
    stop_ = &stop;
    consumer_ = std::make_unique<kafka::Consumer>(options_.consumer, [this](kafka::Rebalance event, int partitions) {
        const util::FaultScope fault_scope(event == kafka::Rebalance::revoking ? "revoke" : "assign");
        util::fault_point("begin");
        // Partitions taken away: store and commit what we hold for them first, so their next
        // owner starts exactly after what we stored. After a failure, hold nothing back: what
        // was not committed is read again by whoever gets the partitions.
        if (event == kafka::Rebalance::revoking && !failed_) flush();
        // Idle time counts only while we have partitions: joining the group (which can take a
        // session timeout after a member died) is waiting, not idleness.
        last_activity_ = event == kafka::Rebalance::assigned && partitions > 0
            ? std::optional(Clock::now()) : std::nullopt;
        if (!options_.quiet) {
            fmt::print(stderr, "stream: {} {} partitions of {}\n",
                       event == kafka::Rebalance::assigned ? "assigned" : "giving up", partitions,
                       consumer_->topic());
        }
    });
    try {
        loop(stop);
        flush();
        consumer_->close();
    } catch (...) {
        failed_ = true;
        batch_.clear();
        try {
            consumer_->close();  // leave the group now, not at a session timeout
        } catch (...) {
            // The first failure is the one to report.
        }
        throw;
    }
    if (!options_.quiet) {
        fmt::print(stderr, "stream: done: {} in {:.2f}s\n", counters_.summary(), active_seconds());
    }
    return counters_;
}

void StreamJob::loop(const std::atomic<bool>& stop) {
    next_report_ = Clock::now() + options_.report_interval;
    while (!stop.load()) {
        auto now = Clock::now();
        auto wait = batch_messages_ == 0 ? 100ms : std::clamp(
            std::chrono::duration_cast<std::chrono::milliseconds>(flush_deadline_ - now), 0ms, 100ms);
        if (kafka::MessagePtr message = consumer_->poll(static_cast<int>(wait.count()))) {
            handle(*message);
            if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR && last_activity_) last_activity_ = Clock::now();
        }
        now = Clock::now();
        if (batch_messages_ >= options_.batch_size || (batch_messages_ > 0 && now >= flush_deadline_)) {
            flush();
        }
        if (options_.report_interval > 0ms && now >= next_report_) report(now);
        if (options_.max_messages != 0 && counters_.consumed >= options_.max_messages) return;
        if (options_.exit_when_idle > 0ms && last_activity_ && now - *last_activity_ >= options_.exit_when_idle) {
            return;
        }
    }
}

void StreamJob::handle(const rd_kafka_message_t& message) {
    if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return;
        auto now = Clock::now();
        if (now - last_error_log_ >= 1s) {  // librdkafka repeats these while a condition lasts
            last_error_log_ = now;
            fmt::print(stderr, "stream: kafka: {}/{}: {}\n", consumer_->topic(), message.partition,
                       rd_kafka_message_errstr(&message));
        }
        if (message.err == RD_KAFKA_RESP_ERR__FATAL) {
            throw Error(fmt::format("kafka: fatal error on {}: {}", consumer_->topic(),
                                    rd_kafka_message_errstr(&message)));
        }
        return;
    }
    if (counters_.consumed++ == 0) first_message_ = Clock::now();
    if (batch_messages_++ == 0) flush_deadline_ = Clock::now() + options_.flush_interval;

    std::string_view payload(static_cast<const char*>(message.payload), message.len);
    events::DecodeError error;
    if (processor_.process(payload, batch_.slot(), error)) {
        batch_.commit_slot();
    } else {
        counters_.reject(error.reason);
        rejects_.reject({consumer_->topic(), message.partition, message.offset}, error, payload);
    }
    batch_.track(message.partition, message.offset);  // handled: a row, or a counted reject
}

void StreamJob::flush() {
    if (batch_.empty()) return;
    write_batch();
    util::fault_point("after_ack");
    rd_kafka_resp_err_t err = consumer_->commit(batch_.offsets());
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++counters_.commits;
    } else {
        // The rows are stored; whoever reads these offsets again rewrites identical rows.
        ++counters_.commit_failures;
        fmt::print(stderr, "stream: commit of {} offsets failed: {}; the rows are stored and "
                   "will be rewritten unchanged if read again\n", consumer_->topic(),
                   rd_kafka_err2str(err));
    }
    last_commit_ = Clock::now();
    batch_.clear();
    batch_messages_ = 0;
}

void StreamJob::write_batch() {
    auto backoff = 100ms;
    for (;;) {
        try {
            if (batch_.size() > 0) store_.write(batch_.rows());
            const std::int64_t acked_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch()).count();
            for (const model::EnrichedRow& row : batch_.rows()) {
                const std::int64_t age = acked_ms - row.time_ms;
                counters_.age_at_ack.record(age);
                recent_age_.record(age);
            }
            counters_.stored += batch_.size();
            ++counters_.batches;
            return;
        } catch (const TransientError& e) {
            ++counters_.store_retries;
            fmt::print(stderr, "stream: store not available ({}); retrying in {} ms; {} rows wait, "
                       "their offsets uncommitted\n", e.what(), backoff.count(), batch_.size());
        }
        for (auto slept = 0ms; slept < backoff; slept += 50ms) {
            if (stop_->load()) {
                throw Error(fmt::format("stopped while the store was unavailable: {} rows not "
                                        "stored; their offsets are not committed, so they will be "
                                        "read again", batch_.size()));
            }
            std::this_thread::sleep_for(50ms);
        }
        backoff = std::min(backoff * 2, std::chrono::milliseconds(10s));
    }
}

void StreamJob::report(Clock::time_point now) {
    auto interval = options_.report_interval + (now - next_report_);
    double seconds = std::chrono::duration<double>(interval).count();
    if (!options_.quiet) {
        // The run's percentiles hide a stall once it is past; the interval's show it when it happens.
        std::string recent = recent_age_.count() == 0 ? "" : fmt::format(" recent_age: {}", recent_age_.summary());
        fmt::print(stderr, "stream: {} rate={:.0f}/s{}\n", counters_.summary(),
                   static_cast<double>(counters_.consumed - reported_consumed_) / seconds, recent);
    }
    reported_consumed_ = counters_.consumed;
    recent_age_ = {};
    next_report_ = now + options_.report_interval;
}

double StreamJob::active_seconds() const {
    if (counters_.consumed == 0) return 0;
    return std::chrono::duration<double>(last_commit_ - first_message_).count();
}

}  // namespace playstream::pipeline
