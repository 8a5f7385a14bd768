// StreamJob's output side: batches handed to the store and the dead-letter sink, their
// acknowledgements, retries and refusals, and the commits that follow.
#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "pipeline/stream_job.hpp"
#include "util/escape.hpp"
#include "util/fault_point.hpp"
#include "util/log.hpp"

namespace playstream::pipeline {

using namespace std::chrono_literals;

// Hands the batch being filled to the outputs, once there is room for it.
void StreamJob::write_filling() {
    while (!in_flight_.has_room() || !retries_.empty()) {
        settle(Commit::Async, Clock::now());
        if (!in_flight_.has_room() || !retries_.empty()) wait_for_progress();
    }
    counters_.batch_messages.observe(static_cast<double>(policy_.messages()));
    counters_.largest_batch = std::max<std::uint64_t>(counters_.largest_batch, policy_.messages());
    policy_.reset();
    Batch& batch = in_flight_.seal();
    batch.last_letter = letters_sent_;  // its rejects' letters were sent while it filled
    submit(batch);
}

void StreamJob::submit(Batch& batch) {
    if (batch.rows().empty()) {  // only rejects: nothing for the store
        stored(batch);
        return;
    }
    in_flight_.write_started(batch, Clock::now());
    mark_writes();
    store_.write_async(batch.rows(), [this, &batch](std::exception_ptr error) {
        in_flight_.complete(batch, std::move(error));
    });
}

// Takes the store's answers that came, schedules retries that are due, and commits what is done.
// A write refused for good stops the job after the batches before it are committed.
// `now`: a recent clock reading, for the commit's timing.
void StreamJob::settle(Commit mode, Clock::time_point now) {
    std::exception_ptr failure;
    for (InFlight::Completion& c : in_flight_.take_completions()) {
        if (!c.error) {
            stored(*c.batch);
            continue;
        }
        try {
            std::rethrow_exception(c.error);
        } catch (const TransientError& e) {
            retry_later(*c.batch, e);
        } catch (const Error& e) {
            // Without a dead-letter sink the job stops as it always did; with one, the rows that
            // the store refuses on their own go there and the rest are stored.
            if (dead_letters_ == nullptr) {
                if (!failure) failure = std::current_exception();
            } else {
                dead_letter_refused_rows(*c.batch, e);
            }
        }
    }
    mark_writes();
    // Releases nothing past a failed batch: it is not stored. Before failing, what
    // commit_interval held back is committed now.
    commit_done(failure ? Commit::Sync : mode, now);
    if (failure) std::rethrow_exception(failure);
    retry_due();
}

// Blocks a little for the outputs: a store answer, a retry's time, dead letters' acknowledgements.
// A job told to stop gives up here only when an output is failing (the store down, letters
// unacknowledged for a while); writes that are merely in flight are waited for.
void StreamJob::wait_for_progress() {
    const Batch* oldest = in_flight_.oldest();
    const bool letters_wait = dead_letters_ != nullptr && oldest != nullptr && oldest->stored &&
                              oldest->last_letter > letters_acknowledged_;
    if (letters_wait) {
        if (!status_.dead_letters_waiting_since) status_.dead_letters_waiting_since = Clock::now();
        const auto waiting = Clock::now() - *status_.dead_letters_waiting_since;
        if (waiting >= 10s && Clock::now() >= next_letters_report_) {
            next_letters_report_ = Clock::now() + 10s;
            log::warn("stream", fmt::format("waiting for {} to acknowledge {} dead letters; offsets uncommitted",
                                            dead_letters_->name(), letters_sent_ - letters_acknowledged_),
                      {{"event", "dead_letters_waiting"}, {"letters", letters_sent_ - letters_acknowledged_}});
        }
        if (waiting >= 200ms) wait_or_stop(0ms, "dead letters were unacknowledged");
        dead_letters_->flush(20ms);
    } else if (!retries_.empty()) {
        wait_or_stop(0ms, "the store was unavailable");
        in_flight_.wait(std::min<std::chrono::milliseconds>(
            50ms, std::chrono::ceil<std::chrono::milliseconds>(retry_at_ - Clock::now())));
    } else {
        in_flight_.wait(50ms);
    }
    const auto now = Clock::now();
    not_idle(now);
    if (now >= next_publish_) publish(now);
}

void StreamJob::stored(Batch& batch) {
    if (!batch.rows().empty()) {
        counters_.store_write_seconds.observe(std::chrono::duration<double>(Clock::now() - batch.written_at).count());
        status_.store_unreachable_since.reset();
        backoff_ = 100ms;
        acknowledged(batch.rows());
    }
    batch.stored = true;
    ++counters_.batches;
}

// A store that is down or busy: the batch waits (and no new batch goes out) until the backoff
// has passed, then every waiting batch is written again. Offsets stay uncommitted meanwhile.
void StreamJob::retry_later(Batch& batch, const TransientError& error) {
    ++counters_.store_retries;
    if (!status_.store_unreachable_since) status_.store_unreachable_since = Clock::now();
    if (retries_.empty()) {
        retry_at_ = Clock::now() + backoff_;
        log::warn("stream", fmt::format("store not available ({}); retrying in {} ms; {} rows wait, their "
                                        "offsets uncommitted", escape_for_log(error.what()), backoff_.count(),
                                        messages_held()),
                  {{"event", "store_unavailable"}, {"retry_ms", backoff_.count()}, {"rows_waiting", messages_held()}});
        backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(10s));
    }
    retries_.push_back(&batch);
}

void StreamJob::retry_due() {
    if (retries_.empty() || Clock::now() < retry_at_) return;
    for (Batch* batch : std::exchange(retries_, {})) submit(*batch);
}

// Commits the offsets of the oldest batches that every output acknowledged, in order. An
// asynchronous commit waits for commit_interval after the previous one: under a steady stream of
// small batches, a commit per batch (500 a second at 20,000 events/s) cost the broker a third of
// a core and `stream` a wake-up of two librdkafka threads each.
void StreamJob::commit_done(Commit mode, Clock::time_point now) {
    const Batch* oldest = in_flight_.oldest();
    if (oldest != nullptr && oldest->stored) {
        if (dead_letters_ != nullptr && oldest->last_letter > letters_acknowledged_) {
            letters_acknowledged_ = dead_letters_->acknowledged();  // throws once a letter failed
            counters_.dead_lettered = letters_acknowledged_;
        }
        const std::vector<PartitionOffset> released = in_flight_.release_done(letters_acknowledged_);
        if (!released.empty()) {
            status_.dead_letters_waiting_since.reset();
            util::fault_point("after_ack");  // every output acknowledged, nothing committed yet
        }
        for (const PartitionOffset& o : released) keep_furthest(uncommitted_, o);
    }
    if (uncommitted_.empty()) return;
    if (mode == Commit::Async && now < next_commit_) return;
    commit_uncommitted(mode, now);
}

void StreamJob::commit_uncommitted(Commit mode, Clock::time_point now) {
    const std::vector<PartitionOffset> offsets = std::exchange(uncommitted_, {});
    if (mode == Commit::Sync) {
        commit_outcome(source_.commit(offsets));
    } else if (std::optional<std::string> outcome = source_.commit_async(offsets)) {
        commit_outcome(*outcome);
    }
    last_commit_ = now;
    next_commit_ = now + options_.commit_interval;
}

// On the way out after a failure: what commit_interval held back is stored everywhere, so
// committing it spares re-reading it. Best effort: the failure may be the broker's.
void StreamJob::commit_held() {
    if (uncommitted_.empty()) return;
    try {
        commit_uncommitted(Commit::Sync, Clock::now());
    } catch (...) {
        // The failure being reported is the first one; these offsets are read again.
    }
}

void StreamJob::commit_outcome(const std::string& error) {
    if (error.empty()) {
        ++counters_.commits;
        status_.last_commit = Clock::now();
        return;
    }
    // Every output has the batch; whoever reads these offsets again rewrites identical rows (and
    // dead-letters the rejects once more). A later commit covers the same offsets.
    ++counters_.commit_failures;
    log::error("stream", fmt::format("commit of {} offsets failed: {}; the rows are stored and will be "
                                     "rewritten unchanged if read again", source_.name(), error),
               {{"event", "commit_failed"}, {"topic", source_.name()}});
}

// After a failure: nothing more is committed, but the store may still be writing rows of batches
// in flight, which must live until it has answered.
void StreamJob::abandon_in_flight() {
    while (in_flight_.writes_outstanding() > 0) {
        in_flight_.wait(100ms);
        in_flight_.take_completions();
    }
    in_flight_.discard();
    retries_.clear();
    policy_.reset();
    board_->write_ended();
}

// The status board shows since when the oldest write in flight has waited, so readiness sees a
// write that hangs.
void StreamJob::mark_writes() {
    if (in_flight_.writes_outstanding() == 0) {
        board_->write_ended();
        return;
    }
    if (const Batch* oldest = in_flight_.oldest_unstored()) board_->write_started(oldest->written_at);
}

// The store said no to a whole batch; a batch is one transaction in SQLite and many upserts in
// Cassandra, so its rows are written again one by one to find which ones it refuses. The Store
// interface stays as it is (no store has to map its errors to rows), and the cost is paid only on
// this rare path. A refused row's message is read again from the source for its original bytes.
// A store that refuses every row is broken, not the data: that stops the job.
void StreamJob::dead_letter_refused_rows(Batch& batch, const Error& batch_error) {
    const auto rows = batch.rows();
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
        const RowOrigin origin = batch.origin(i);
        const SourceMessage* original = source_.reread(origin.partition, origin.offset);
        if (original == nullptr) {
            throw Error(fmt::format("the store refused the row of {}/{}@{} ({}), and the message cannot be "
                                    "read again to dead-letter it; its offset is not committed",
                                    source_.name(), origin.partition, origin.offset, escape_for_log(why)));
        }
        ++counters_.store_refused;
        log::warn("stream", fmt::format("store refused the row of {}/{}@{}: {}; sent to {}", source_.name(),
                                        origin.partition, origin.offset, escape_for_log(why),
                                        dead_letters_->name()),
                  {{"event", "store_refused"}, {"topic", source_.name()}, {"partition", origin.partition},
                   {"offset", origin.offset}});
        letters_sent_ = dead_letters_->send(
            {.stage = Stage::Store, .reason = "store_refused", .message = why, .topic = source_.name(),
             .partition = origin.partition, .offset = origin.offset, .timestamp_ms = original->timestamp_ms,
             .key = original->key, .payload = original->payload, .headers = original->read_headers()});
        batch.last_letter = letters_sent_;
    }
    batch.stored = true;
    ++counters_.batches;
}

// A synchronous write with retries, for the rare row-by-row path above.
void StreamJob::write_retrying(std::span<const model::EnrichedRow> rows) {
    auto backoff = 100ms;
    for (;;) {
        try {
            store_.write(rows);
            return;
        } catch (const TransientError& e) {
            ++counters_.store_retries;
            log::warn("stream", fmt::format("store not available ({}); retrying in {} ms",
                                            escape_for_log(e.what()), backoff.count()),
                      {{"event", "store_unavailable"}, {"retry_ms", backoff.count()}});
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

void StreamJob::wait_or_stop(std::chrono::milliseconds pause, const char* waiting_for) {
    auto slept = 0ms;
    do {
        if (stop_->load()) {
            throw StoppedWhileWaiting(fmt::format(
                "stopped while {}: {} messages not acknowledged; their offsets are not committed, "
                "so they will be read again", waiting_for, messages_held()));
        }
        if (pause == 0ms) return;
        std::this_thread::sleep_for(50ms);
        slept += 50ms;
    } while (slept < pause);
    const auto now = Clock::now();
    not_idle(now);
    publish(now);
}

// Time spent waiting for the outputs (room in the store, its backoff, dead letters' acknowledgements)
// is not idleness: --exit-when-idle counts only time the job was free to read and nothing came.
void StreamJob::not_idle(Clock::time_point now) {
    if (last_activity_) last_activity_ = now;
}

}  // namespace playstream::pipeline
