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


StreamJob::StreamJob(StreamOptions options, const catalog::Catalog& catalog, store::Store& store,
                     Source& source, RejectSink& rejects, DeadLetterSink* dead_letters)
    : options_(std::move(options)), store_(store), source_(source), rejects_(rejects),
      dead_letters_(dead_letters), processor_(catalog),
      policy_(options_.batch_size, options_.flush_interval, options_.linger), in_flight_(options_.max_in_flight),
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
        commit_held();        // batches every output acknowledged before the failure
        abandon_in_flight();  // the store may still hold rows of ours: wait for it, commit nothing
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
        case SourceEvent::Kind::Assigned:
        case SourceEvent::Kind::Revoking: {
            const bool assigned = event.kind == SourceEvent::Kind::Assigned;
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
        case SourceEvent::Kind::Error:
            if (event.fatal) {
                throw Error(fmt::format("kafka: fatal error on {}: {}", source_.name(), event.text));
            }
            if (now - last_error_log_ >= 1s) {  // librdkafka repeats these while a condition lasts
                last_error_log_ = now;
                log::warn("stream", fmt::format("kafka: {}: {}", source_.name(), event.text),
                          {{"topic", source_.name()}});
            }
            break;
        case SourceEvent::Kind::Unreachable:
            if (!unreachable_since_) {
                unreachable_since_ = now;
                status_.brokers_unreachable_since = now;
                next_unreachable_report_ = now + options_.unreachable_report;
                log::warn("stream", fmt::format("kafka: brokers unreachable ({}); retrying{}", event.text,
                                                options_.exit_when_idle > 0ms ? ", counted as idle time" : ""),
                          {{"event", "brokers_unreachable"}});
            }
            break;
        case SourceEvent::Kind::Reachable:
            if (unreachable_since_) {
                const double down = std::chrono::duration<double>(now - *unreachable_since_).count();
                log::info("stream", fmt::format("kafka: brokers reachable again after {:.0f} s", down),
                          {{"event", "brokers_reachable"}, {"unreachable_seconds", down}});
                unreachable_since_.reset();
                status_.brokers_unreachable_since.reset();
            }
            break;
        case SourceEvent::Kind::Committed:
            ++counters_.commits;
            status_.last_commit = now;
            break;
        case SourceEvent::Kind::CommitFailed:
            commit_outcome(event.text.empty() ? "failed" : event.text);
            break;
        case SourceEvent::Kind::DataLoss: {
            counters_.skipped += static_cast<std::uint64_t>(std::max<std::int64_t>(event.skipped, 0));
            std::string what = fmt::format(
                "{}/{}: committed offset {} is outside the partition's log; the next offset "
                "available is {}: {} messages were deleted by the broker before they were read{}",
                source_.name(), event.partition, event.committed, event.new_offset, event.skipped,
                event.text.empty() ? "" : fmt::format(" ({})", event.text));
            if (options_.on_data_loss == DataLossPolicy::Fail) {
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
    // One clock read a pass, that is one per message under load, shared by settle's commit check
    // and the poll's timeout (each read its own: three a message, 4 % of stream's CPU on a VM
    // where a read costs ~25 ns). It is taken again after a batch is handed out, which may wait
    // for room, so what they see is at most one message old.
    auto now = Clock::now();
    next_report_ = now + options_.report_interval;
    while (!stop_->load()) {
        settle(Commit::Async, now);
        const SourceMessage* message = source_.poll(poll_timeout(now), *this);
        now = Clock::now();
        if (message != nullptr) {
            handle(*message, now);
            if (last_activity_) last_activity_ = now;
        }
        if (policy_.due(now, in_flight_.has_room() && retries_.empty(), message == nullptr)) {
            write_filling();
            now = Clock::now();
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

// How long a poll may wait: not at all while a batch waits for nothing but the source to run
// dry, until its linger or flush interval ends while it waits for those, briefly while writes
// are in flight (their completions are taken between polls).
std::chrono::milliseconds StreamJob::poll_timeout(Clock::time_point now) const {
    auto timeout = in_flight_.empty() ? 100ms : 5ms;
    if (const auto left = policy_.until_next(now, in_flight_.has_room() && retries_.empty())) {
        timeout = std::min(timeout, std::chrono::ceil<std::chrono::milliseconds>(*left));
    }
    return timeout;
}

void StreamJob::handle(const SourceMessage& message, Clock::time_point now) {
    if (unreachable_since_) on_event({.kind = SourceEvent::Kind::Reachable});
    if (counters_.consumed++ == 0) first_message_ = now;
    policy_.add(now);

    Batch& batch = in_flight_.filling();
    events::DecodeError error;
    model::EnrichedRow& row = batch.slot();
    if (processor_.process(message.payload, row, error)) {
        const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch() + wall_offset_);
        counters_.age_at_read.record(wall.count() - row.time_ms);
        batch.commit_slot({message.partition, message.offset});
    } else {
        counters_.reject(error.reason);
        rejects_.reject({message.topic, message.partition, message.offset}, error, message.payload);
        if (dead_letters_ != nullptr) {
            letters_sent_ = dead_letters_->send(
                {.stage = stage_of(error.reason), .reason = to_string(error.reason),
                 .message = error.detail, .topic = message.topic, .partition = message.partition,
                 .offset = message.offset, .timestamp_ms = message.timestamp_ms, .key = message.key,
                 .payload = message.payload, .headers = message.read_headers()});
        }
    }
    batch.track(message.partition, message.offset);  // handled: a row, or a counted reject
}

// Writes the batch in hand and waits until every batch is acknowledged and committed: before
// partitions go (a rebalance) and at the end of the run.
void StreamJob::flush() {
    if (policy_.messages() > 0) write_filling();
    while (!in_flight_.empty()) {
        settle(Commit::Sync, Clock::now());
        if (!in_flight_.empty()) wait_for_progress();
    }
    commit_done(Commit::Sync, Clock::now());  // what commit_interval held back
    counters_.reject_log_suppressed = rejects_.suppressed();
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
    wall_offset_ = std::chrono::system_clock::now().time_since_epoch() - Clock::now().time_since_epoch();
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
