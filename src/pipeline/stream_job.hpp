#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

#include "catalog/catalog.hpp"
#include "util/error.hpp"
#include "pipeline/batch.hpp"
#include "pipeline/batch_policy.hpp"
#include "pipeline/counters.hpp"
#include "pipeline/dead_letter.hpp"
#include "pipeline/enricher.hpp"
#include "pipeline/in_flight.hpp"
#include "pipeline/reject_sink.hpp"
#include "pipeline/source.hpp"
#include "pipeline/status_board.hpp"
#include "store/store.hpp"

namespace playstream::pipeline {

// The job was told to stop while it waited for an output (a store that is down, unacknowledged
// dead letters): not a verdict on the data.
class StoppedWhileWaiting final : public Error {
public:
    using Error::Error;
};

// What to do when the broker deleted messages before we read them (`--on-data-loss`).
enum class DataLossPolicy { KeepGoing, Fail };

struct StreamOptions {
    std::size_t batch_size = 10000;                  // messages per store write at most
    std::chrono::milliseconds flush_interval{0};     // a row waits at most this long to be written;
                                                     // 0: no timer (natural batching decides alone)
    std::chrono::milliseconds linger{0};             // a batch not yet full waits this long for more
                                                     // rows though the store has room; 0: it does not
    std::size_t max_in_flight = 4;                   // batches written and not yet committed
    std::chrono::milliseconds commit_interval{1000};  // acknowledged offsets are committed at most this
                                                      // often (always before partitions go, at the end
                                                      // and before failing); 0: after every batch
    std::chrono::milliseconds exit_when_idle{0};     // stop after this long with partitions but no message
                                                     // (or no broker answering); 0: never
    std::uint64_t max_messages = 0;                  // stop once this many are consumed; 0: never
    std::chrono::milliseconds report_interval{5000};  // progress line on stderr; 0: none
    std::chrono::milliseconds unreachable_report{30000};  // "brokers unreachable" repeated this often
    DataLossPolicy on_data_loss = DataLossPolicy::KeepGoing;
    bool quiet = false;                              // no progress or summary lines
    StatusBoard* status = nullptr;                   // where to publish the status; null: the job's own
};

// input (a Source: the Kafka consumer group) → processor (decode, enrich) → outputs (the store for
// rows, the dead-letter sink for rejects), with the offsets of a batch committed only after every
// output acknowledged all of it. A crash between the two re-reads the batch, whose upserts then
// change nothing: at-least-once delivery, exactly-once rows.
//
// Pipelined: the job keeps reading while up to max_in_flight batches are being written; each is
// committed (asynchronously) once it and every batch before it are acknowledged, so a
// partition's committed offset only moves over acknowledged messages. The batch policy decides
// when the batch being filled goes to the store (see BatchPolicy: natural batching).
//
// Two kinds of failure, two policies: bad data (a message that does not decode or join, a row the
// store refuses for good) goes to the dead-letter sink when there is one, and the job goes on;
// a store that is down or overloaded (TransientError) is waited for, offsets held, and never
// sends anything to the dead-letter sink.
class StreamJob final : private SourceListener {
public:
    // `dead_letters` may be null: rejects are then only logged and counted, and a row the store
    // refuses for good stops the job.
    StreamJob(StreamOptions options, const catalog::Catalog& catalog, store::Store& store,
              Source& source, RejectSink& rejects, DeadLetterSink* dead_letters = nullptr);

    // Runs until `stop` is set, the idle limit or the message limit is reached; then stores and
    // commits the batch in hand and closes the source. Throws playstream::Error on a failure it
    // cannot retry (offsets of unacknowledged messages stay uncommitted).
    Counters run(const std::atomic<bool>& stop);

    // Seconds from the first message to the last commit, for throughput figures.
    double active_seconds() const;
    // Published every ~200 ms while run() runs, and a store write in progress at once; safe to
    // read from any thread (the HTTP server's /metrics and /health/ready).
    const StatusBoard& status() const { return *board_; }

private:
    using Clock = std::chrono::steady_clock;

    enum class Commit { Async, Sync };

    void on_event(const SourceEvent& event) override;
    void loop();
    std::chrono::milliseconds poll_timeout(Clock::time_point now) const;
    void handle(const SourceMessage& message, Clock::time_point now);
    void flush();
    void write_filling();
    void submit(Batch& batch);
    void settle(Commit mode, Clock::time_point now);
    void wait_for_progress();
    void stored(Batch& batch);
    void retry_later(Batch& batch, const TransientError& error);
    void retry_due();
    void commit_done(Commit mode, Clock::time_point now);
    void commit_uncommitted(Commit mode, Clock::time_point now);  // uncommitted_, now
    void commit_held();
    void commit_outcome(const std::string& error);
    void abandon_in_flight();
    void mark_writes();
    void write_retrying(std::span<const model::EnrichedRow> rows);
    void dead_letter_refused_rows(Batch& batch, const Error& batch_error);
    void acknowledged(std::span<const model::EnrichedRow> rows);
    void wait_or_stop(std::chrono::milliseconds pause, const char* waiting_for);
    void not_idle(Clock::time_point now);
    std::size_t messages_held() const { return in_flight_.messages() + policy_.messages(); }
    void report(Clock::time_point now);
    void publish(Clock::time_point now);

    StreamOptions options_;
    store::Store& store_;
    Source& source_;
    RejectSink& rejects_;
    DeadLetterSink* dead_letters_;
    MessageProcessor processor_;
    BatchPolicy policy_;
    InFlight in_flight_;
    std::vector<Batch*> retries_;          // failed transiently, written again at retry_at_
    Clock::time_point retry_at_{};
    std::chrono::milliseconds backoff_{100};
    std::uint64_t letters_sent_ = 0;       // the dead-letter number of the latest letter
    std::uint64_t letters_acknowledged_ = 0;
    Counters counters_;
    AgeHistogram recent_age_;  // since the last progress line
    const std::atomic<bool>* stop_ = nullptr;
    bool failed_ = false;  // run() is unwinding: revocations must not write again
    int partitions_ = 0;
    std::optional<Clock::time_point> last_activity_;  // set while partitions are assigned
    std::optional<Clock::time_point> unreachable_since_;  // no broker answers
    JobStatus status_;    // the parts of the status that are not counters
    StatusBoard own_board_;
    StatusBoard* board_;  // options_.status, or own_board_

    Clock::time_point first_message_{};
    Clock::time_point last_commit_{};
    Clock::time_point next_commit_{};  // commit_interval after the last commit
    // Offsets of batches every output acknowledged, not committed yet (commit_interval): the
    // highest per partition.
    std::vector<PartitionOffset> uncommitted_;
    Clock::time_point next_report_{};
    Clock::time_point next_publish_{};
    // The wall clock minus the steady one, taken at each publish (every 200 ms): an event's age
    // when read costs no second clock read per message.
    std::chrono::nanoseconds wall_offset_{};
    Clock::time_point next_unreachable_report_{};
    Clock::time_point next_letters_report_{};
    Clock::time_point last_error_log_{};
    std::uint64_t reported_consumed_ = 0;
};

}  // namespace playstream::pipeline
