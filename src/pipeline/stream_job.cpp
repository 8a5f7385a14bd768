#include "pipeline/stream_job.hpp"

#include <algorithm>
#include <optional>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/escape.hpp"
#include "util/fault_point.hpp"
#include "util/log.hpp"

namespace playstream::pipeline {

using namespace std::chrono_literals;

namespace {

// The job was told to stop while it waited for an output: not a verdict on the data.
class StoppedWhileWaiting final : public Error {
public:
    using Error::Error;
};

// Marks a store write in progress on the status board for as long as it lasts, so readiness sees
// a write that hangs before the job publishes again.
class WriteMark {
public:
    explicit WriteMark(StatusBoard& board) : board_(board) { board_.write_started(StatusBoard::Clock::now()); }
    ~WriteMark() { board_.write_ended(); }
    WriteMark(const WriteMark&) = delete;
    WriteMark& operator=(const WriteMark&) = delete;

private:
    StatusBoard& board_;
};

}  // namespace

StreamJob::StreamJob(StreamOptions options, const catalog::Catalog& catalog, store::Store& store,
                     Source& source, RejectSink& rejects, DeadLetterSink* dead_letters)
    : options_(std::move(options)), store_(store), source_(source), rejects_(rejects),
      dead_letters_(dead_letters), processor_(catalog),
      board_(options_.status != nullptr ? options_.status : &own_board_) {}

Counters StreamJob::run(const std::atomic<bool>& stop) {
    stop_ = &stop;
    status_.running = true;
    publish(Clock::now());
    try {
        loop();
        flush();
        source_.close(*this);
    } catch (...) {
        failed_ = true;
        batch_.clear();
        try {
            source_.close(*this);  // leave the group now, not at a session timeout
        } catch (...) {
            // The first failure is the one to report.
        }
        status_.running = false;
        publish(Clock::now());
        throw;
    }
    status_.running = false;
    publish(Clock::now());
    if (!options_.quiet) {
        const double seconds = active_seconds();
        log::info("stream", fmt::format("done: {} in {:.2f}s", counters_.summary(), seconds),
                  {{"event", "done"}, {"consumed", counters_.consumed}, {"stored", counters_.stored},
                   {"rejected", counters_.rejected_total()}, {"dead_lettered", counters_.dead_lettered},
                   {"skipped", counters_.skipped}, {"commits", counters_.commits}, {"seconds", seconds}});
    }
    return counters_;
}

void StreamJob::on_event(const SourceEvent& event) {
    const auto now = Clock::now();
    switch (event.kind) {
        case SourceEvent::Kind::assigned:
        case SourceEvent::Kind::revoking: {
            const bool assigned = event.kind == SourceEvent::Kind::assigned;
            const util::FaultScope fault_scope(assigned ? "assign" : "revoke");
            util::fault_point("begin");
            // Partitions taken away: store and commit what we hold for them first, so their next
            // owner starts exactly after what we stored. After a failure, hold nothing back: what
            // was not committed is read again by whoever gets the partitions.
            if (!assigned && !failed_) flush();
            partitions_ = assigned ? partitions_ + event.partitions
                                   : std::max(0, partitions_ - event.partitions);
            // Idle time counts only while we have partitions: joining the group (which can take a
            // session timeout after a member died) is waiting, not idleness.
            last_activity_ = assigned && event.partitions > 0 ? std::optional(now) : std::nullopt;
            status_.in_group = true;
            if (assigned) {  // a group coordinator answered
                unreachable_since_.reset();
                status_.brokers_unreachable_since.reset();
            }
            if (!options_.quiet) {
                const char* what = assigned ? "assigned" : "giving up";
                log::info("stream", fmt::format("{} {} partitions of {}", what, event.partitions, source_.name()),
                          {{"event", assigned ? "assigned" : "revoking"}, {"partitions", event.partitions},
                           {"topic", source_.name()}});
            }
            break;
        }
        case SourceEvent::Kind::error:
            if (event.fatal) {
                throw Error(fmt::format("kafka: fatal error on {}: {}", source_.name(), event.text));
            }
            if (now - last_error_log_ >= 1s) {  // librdkafka repeats these while a condition lasts
                last_error_log_ = now;
                log::warn("stream", fmt::format("kafka: {}: {}", source_.name(), event.text),
                          {{"topic", source_.name()}});
            }
            break;
        case SourceEvent::Kind::unreachable:
            if (!unreachable_since_) {
                unreachable_since_ = now;
                status_.brokers_unreachable_since = now;
                next_unreachable_report_ = now + options_.unreachable_report;
                log::warn("stream", fmt::format("kafka: brokers unreachable ({}); retrying{}", event.text,
                                                options_.exit_when_idle > 0ms ? ", counted as idle time" : ""),
                          {{"event", "brokers_unreachable"}});
            }
            break;
        case SourceEvent::Kind::reachable:
            if (unreachable_since_) {
                const double down = std::chrono::duration<double>(now - *unreachable_since_).count();
                log::info("stream", fmt::format("kafka: brokers reachable again after {:.0f} s", down),
                          {{"event", "brokers_reachable"}, {"unreachable_seconds", down}});
                unreachable_since_.reset();
                status_.brokers_unreachable_since.reset();
            }
            break;
        case SourceEvent::Kind::data_loss: {
            counters_.skipped += static_cast<std::uint64_t>(std::max<std::int64_t>(event.skipped, 0));
            std::string what = fmt::format(
                "{}/{}: committed offset {} is outside the partition's log; the next offset "
                "available is {}: {} messages were deleted by the broker before they were read{}",
                source_.name(), event.partition, event.committed, event.new_offset, event.skipped,
                event.text.empty() ? "" : fmt::format(" ({})", event.text));
            if (options_.on_data_loss == DataLossPolicy::fail) {
                throw Error(fmt::format("data loss: {} (--on-data-loss fail)", what));
            }
            log::error("stream", fmt::format("data loss: {}; going on from offset {} (--on-data-loss continue)",
                                              what, event.new_offset),
                       {{"event", "data_loss"}, {"topic", source_.name()}, {"partition", event.partition},
                        {"committed", event.committed}, {"new_offset", event.new_offset},
                        {"skipped", event.skipped}});
            break;
        }
    }
    publish(now);
}

void StreamJob::loop() {
    next_report_ = Clock::now() + options_.report_interval;
    while (!stop_->load()) {
        auto now = Clock::now();
        auto wait = batch_messages_ == 0 ? 100ms : std::clamp(
            std::chrono::duration_cast<std::chrono::milliseconds>(flush_deadline_ - now), 0ms, 100ms);
        if (const SourceMessage* message = source_.poll(wait, *this)) {
            handle(*message);
            if (last_activity_) last_activity_ = Clock::now();
        }
        now = Clock::now();
        if (batch_messages_ >= options_.batch_size || (batch_messages_ > 0 && now >= flush_deadline_)) {
            flush();
        }
        if (options_.report_interval > 0ms && now >= next_report_) report(now);
        if (unreachable_since_ && now >= next_unreachable_report_) {
            next_unreachable_report_ = now + options_.unreachable_report;
            const double down = std::chrono::duration<double>(now - *unreachable_since_).count();
            log::warn("stream", fmt::format("kafka: brokers unreachable for {:.0f} s; still retrying", down),
                      {{"event", "brokers_unreachable"}, {"unreachable_seconds", down}});
        }
        if (now >= next_publish_) publish(now);
        if (options_.max_messages != 0 && counters_.consumed >= options_.max_messages) return;
        // Unreachable brokers count as idle: no message can come, whether or not the group
        // still lists us (it revokes our partitions after a session timeout).
        const auto idle_since = last_activity_ ? last_activity_ : unreachable_since_;
        if (options_.exit_when_idle > 0ms && idle_since && now - *idle_since >= options_.exit_when_idle) {
            if (unreachable_since_ && !options_.quiet) {
                const double down = std::chrono::duration<double>(now - *unreachable_since_).count();
                log::warn("stream", fmt::format("brokers unreachable for {:.0f} s: stopping (--exit-when-idle)", down),
                          {{"event", "brokers_unreachable"}, {"unreachable_seconds", down}});
            }
            return;
        }
    }
}

void StreamJob::handle(const SourceMessage& message) {
    if (unreachable_since_) on_event({.kind = SourceEvent::Kind::reachable});
    if (counters_.consumed++ == 0) first_message_ = Clock::now();
    if (batch_messages_++ == 0) flush_deadline_ = Clock::now() + options_.flush_interval;

    events::DecodeError error;
    if (processor_.process(message.payload, batch_.slot(), error)) {
        batch_.commit_slot(dead_letters_ != nullptr ? &message : nullptr);
    } else {
        counters_.reject(error.reason);
        rejects_.reject({message.topic, message.partition, message.offset}, error, message.payload);
        if (dead_letters_ != nullptr) {
            dead_letters_->send({.stage = stage_of(error.reason), .reason = to_string(error.reason),
                                 .message = error.detail, .topic = message.topic,
                                 .partition = message.partition, .offset = message.offset,
                                 .timestamp_ms = message.timestamp_ms, .key = message.key,
                                 .payload = message.payload});
            ++letters_in_flight_;
        }
    }
    batch_.track(message.partition, message.offset);  // handled: a row, or a counted reject
}

void StreamJob::flush() {
    if (batch_.empty()) return;
    store_batch();
    await_dead_letters();
    util::fault_point("after_ack");  // every output acknowledged, nothing committed yet
    const std::string err = source_.commit(batch_.offsets());
    if (err.empty()) {
        ++counters_.commits;
        status_.last_commit = Clock::now();
    } else {
        // Every output has the batch; whoever reads these offsets again rewrites identical rows
        // (and dead-letters the rejects once more).
        ++counters_.commit_failures;
        log::error("stream", fmt::format("commit of {} offsets failed: {}; the rows are stored and will be "
                                         "rewritten unchanged if read again", source_.name(), err),
                   {{"event", "commit_failed"}, {"topic", source_.name()}});
    }
    last_commit_ = Clock::now();
    batch_.clear();
    batch_messages_ = 0;
    counters_.reject_log_suppressed = rejects_.suppressed();
}

void StreamJob::store_batch() {
    counters_.batch_messages.observe(static_cast<double>(batch_messages_));
    const auto rows = batch_.rows();
    if (!rows.empty()) {
        try {
            write_retrying(rows);
        } catch (const StoppedWhileWaiting&) {
            throw;
        } catch (const Error& e) {
            // Refused for good. Without a dead-letter sink the job stops as it always did; with
            // one, the rows that the store refuses on their own go there and the rest are stored.
            if (dead_letters_ == nullptr) throw;
            dead_letter_refused_rows(e);
            ++counters_.batches;
            return;
        }
    }
    acknowledged(rows);
    ++counters_.batches;
}

// The store said no to the whole batch; a batch is one transaction in SQLite and many upserts in
// Cassandra, so the rows are written again one by one to find which ones it refuses. The Store
// interface stays as it is (no store has to map its errors to rows), and the cost is paid only
// on this rare path. A store that refuses every row is broken, not the data: that stops the job.
void StreamJob::dead_letter_refused_rows(const Error& batch_error) {
    const auto rows = batch_.rows();
    std::vector<std::pair<std::size_t, std::string>> refused;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        try {
            write_retrying(rows.subspan(i, 1));
            acknowledged(rows.subspan(i, 1));
        } catch (const StoppedWhileWaiting&) {
            throw;
        } catch (const Error& e) {
            refused.emplace_back(i, e.what());
        }
    }
    if (refused.size() == rows.size() && rows.size() > 1) {
        throw Error(fmt::format("the store refused all {} rows of a batch, each on its own too: {} "
                                "(nothing was dead-lettered: a store that refuses everything is "
                                "not a data problem); their offsets are not committed",
                                rows.size(), batch_error.what()));
    }
    for (const auto& [i, why] : refused) {
        const OriginalMessage* original = batch_.original(i);
        ++counters_.store_refused;
        log::warn("stream", fmt::format("store refused the row of {}/{}@{}: {}; sent to {}", source_.name(),
                                        original->partition, original->offset, escape_for_log(why),
                                        dead_letters_->name()),
                  {{"event", "store_refused"}, {"topic", source_.name()}, {"partition", original->partition},
                   {"offset", original->offset}});
        dead_letters_->send({.stage = Stage::store, .reason = "store_refused", .message = why,
                             .topic = source_.name(), .partition = original->partition,
                             .offset = original->offset, .timestamp_ms = original->timestamp_ms,
                             .key = original->key_view(), .payload = original->payload_view()});
        ++letters_in_flight_;
    }
}

void StreamJob::write_retrying(std::span<const model::EnrichedRow> rows) {
    auto backoff = 100ms;
    for (;;) {
        try {
            const auto started = Clock::now();
            {
                WriteMark mark(*board_);
                store_.write(rows);
            }
            counters_.store_write_seconds.observe(std::chrono::duration<double>(Clock::now() - started).count());
            status_.store_unreachable_since.reset();
            return;
        } catch (const TransientError& e) {
            ++counters_.store_retries;
            if (!status_.store_unreachable_since) status_.store_unreachable_since = Clock::now();
            log::warn("stream", fmt::format("store not available ({}); retrying in {} ms; {} rows wait, their "
                                            "offsets uncommitted", escape_for_log(e.what()), backoff.count(),
                                            batch_.size()),
                      {{"event", "store_unavailable"}, {"retry_ms", backoff.count()}, {"rows_waiting", batch_.size()}});
        }
        wait_or_stop(backoff, "the store was unavailable");
        backoff = std::min(backoff * 2, std::chrono::milliseconds(10s));
    }
}

void StreamJob::acknowledged(std::span<const model::EnrichedRow> rows) {
    const auto acked = std::chrono::system_clock::now();
    const std::int64_t acked_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(acked.time_since_epoch()).count();
    for (const model::EnrichedRow& row : rows) {
        const std::int64_t age = acked_ms - row.time_ms;
        counters_.age_at_ack.record(age);
        recent_age_.record(age);
    }
    counters_.stored += rows.size();
    if (!rows.empty()) status_.last_store_ack = Clock::now();
}

void StreamJob::await_dead_letters() {
    if (dead_letters_ == nullptr || letters_in_flight_ == 0) return;
    auto logged = Clock::now();
    while (!dead_letters_->flush(200ms)) {  // throws once a letter failed for good
        if (!status_.dead_letters_waiting_since) status_.dead_letters_waiting_since = Clock::now();
        if (Clock::now() - logged >= 10s) {
            logged = Clock::now();
            log::warn("stream", fmt::format("waiting for {} to acknowledge {} dead letters; offsets uncommitted",
                                            dead_letters_->name(), letters_in_flight_),
                      {{"event", "dead_letters_waiting"}, {"letters", letters_in_flight_}});
        }
        wait_or_stop(0ms, "dead letters were unacknowledged");
        publish(Clock::now());
    }
    status_.dead_letters_waiting_since.reset();
    counters_.dead_lettered += std::exchange(letters_in_flight_, 0);
}

void StreamJob::wait_or_stop(std::chrono::milliseconds pause, const char* waiting_for) {
    auto slept = 0ms;
    do {
        if (stop_->load()) {
            throw StoppedWhileWaiting(fmt::format(
                "stopped while {}: {} messages not acknowledged; their offsets are not committed, "
                "so they will be read again", waiting_for, batch_messages_));
        }
        if (pause == 0ms) return;
        std::this_thread::sleep_for(50ms);
        slept += 50ms;
    } while (slept < pause);
    publish(Clock::now());
}

void StreamJob::report(Clock::time_point now) {
    auto interval = options_.report_interval + (now - next_report_);
    double seconds = std::chrono::duration<double>(interval).count();
    counters_.reject_log_suppressed = rejects_.suppressed();
    if (!options_.quiet) {
        // The run's percentiles hide a stall once it is past; the interval's show it when it happens.
        std::string recent = recent_age_.count() == 0 ? "" : fmt::format(" recent_age: {}", recent_age_.summary());
        const double rate = static_cast<double>(counters_.consumed - reported_consumed_) / seconds;
        log::info("stream", fmt::format("{} rate={:.0f}/s{}", counters_.summary(), rate, recent),
                  {{"event", "progress"}, {"consumed", counters_.consumed}, {"stored", counters_.stored},
                   {"rejected", counters_.rejected_total()}, {"rate", rate}});
    }
    reported_consumed_ = counters_.consumed;
    recent_age_ = {};
    next_report_ = now + options_.report_interval;
}

void StreamJob::publish(Clock::time_point now) {
    counters_.reject_log_suppressed = rejects_.suppressed();
    status_.counters = counters_;
    status_.topic = source_.name();
    status_.partitions_assigned = partitions_;
    status_.lag = source_.lag();
    status_.store_nodes = store_.node_states();
    status_.published = now;
    board_->publish(status_);
    next_publish_ = now + 200ms;
}

double StreamJob::active_seconds() const {
    if (counters_.consumed == 0) return 0;
    return std::chrono::duration<double>(last_commit_ - first_message_).count();
}

}  // namespace playstream::pipeline
