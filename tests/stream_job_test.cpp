// StreamJob over an in-memory source, store and dead-letter sink: commit order, failures,
// retries, rebalances and dead letters, without a broker (issue 7 §1).
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <ostream>
#include <map>
#include <set>
#include <thread>
#include <variant>

#include <fmt/format.h>

#include "catalog/catalog.hpp"
#include "events/event_codec.hpp"
#include "loadgen/event_generator.hpp"
#include "pipeline/stream_job.hpp"
#include "util/error.hpp"

namespace playstream {
namespace {

using namespace std::chrono_literals;
using pipeline::PartitionOffset;
using pipeline::SourceEvent;

// Everything the fakes saw, in order: "write 3", "commit 0:4 1:2", "revoked", "letter 1@3"...
// Written from the job's thread and an asynchronous store's; read once the job is done.
class Journal {
public:
    void push_back(std::string entry) {
        std::lock_guard lock(mutex_);
        entries_.push_back(std::move(entry));
    }
    auto begin() const { return entries_.begin(); }
    auto end() const { return entries_.end(); }
    const std::string& back() const { return entries_.back(); }
    bool operator==(const std::vector<std::string>& other) const { return entries_ == other; }
    // Where `entry` first appears (entries_.size() if nowhere).
    std::size_t position(const std::string& entry) const {
        return static_cast<std::size_t>(std::find(entries_.begin(), entries_.end(), entry) - entries_.begin());
    }
    friend std::ostream& operator<<(std::ostream& out, const Journal& j) {
        for (const auto& e : j.entries_) out << e << " | ";
        return out;
    }

private:
    std::mutex mutex_;
    std::vector<std::string> entries_;
};

struct Message {
    std::int32_t partition = 0;
    std::string key;
    std::string payload;
    std::int64_t id = -1;  // the event id inside, -1 for a bad message
};

// A source that plays a script of messages and events, as a consumer group would.
class MemorySource final : public pipeline::Source {
public:
    struct Nothing {};  // a poll that finds nothing, as while a fetch is on its way
    using Step = std::variant<Message, SourceEvent, Nothing>;
    explicit MemorySource(Journal& journal) : journal_(journal) {}

    void add(Step step) { script_.push_back(std::move(step)); }

    int polls = 0;  // calls of poll()

    const pipeline::SourceMessage* poll(std::chrono::milliseconds timeout,
                                        pipeline::SourceListener& listener) override {
        ++polls;
        while (!script_.empty()) {
            Step step = std::move(script_.front());
            script_.pop_front();
            if (auto* event = std::get_if<SourceEvent>(&step)) {
                deliver(*event, listener);
                continue;
            }
            if (std::holds_alternative<Nothing>(step)) break;
            current_ = std::get<Message>(std::move(step));
            message_ = {.topic = "listens", .partition = current_.partition,
                        .offset = next_offset_[current_.partition]++, .timestamp_ms = 1709503200000,
                        .key = current_.key, .payload = current_.payload, .headers = [this] { return std::span(headers_); }};
            delivered_[current_.partition].push_back(current_.id);
            log_[current_.partition].push_back(current_);
            return &message_;
        }
        std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(timeout, 2ms));
        return nullptr;
    }

    std::string commit(std::span<const PartitionOffset> offsets) override {
        std::string entry = "commit";
        for (const auto& o : offsets) {
            entry += fmt::format(" {}:{}", o.partition, o.next_offset);
            committed_[o.partition] = o.next_offset;
        }
        journal_.push_back(entry);
        return "";
    }

    const pipeline::SourceMessage* reread(std::int32_t partition, std::int64_t offset) override {
        const auto& log = log_[partition];
        if (offset < 0 || offset >= static_cast<std::int64_t>(log.size())) return nullptr;
        reread_ = log[static_cast<std::size_t>(offset)];
        message_ = {.topic = "listens", .partition = partition, .offset = offset, .timestamp_ms = 1709503200000,
                    .key = reread_.key, .payload = reread_.payload, .headers = [this] { return std::span(headers_); }};
        return &message_;
    }

    void close(pipeline::SourceListener& listener) override {
        if (assigned_ > 0) deliver({.kind = SourceEvent::Kind::Revoking, .partitions = assigned_}, listener);
    }
    std::string_view name() const override { return "listens"; }

    // The next offset committed for `partition` (0: none).
    std::int64_t committed(std::int32_t partition) const {
        auto it = committed_.find(partition);
        return it == committed_.end() ? 0 : it->second;
    }
    // Ids of good messages delivered on `partition` before offset `end`.
    std::vector<std::int64_t> ids_before(std::int32_t partition, std::int64_t end) const {
        std::vector<std::int64_t> ids;
        auto it = delivered_.find(partition);
        if (it == delivered_.end()) return ids;
        for (std::int64_t o = 0; o < end && o < static_cast<std::int64_t>(it->second.size()); ++o) {
            if (it->second[static_cast<std::size_t>(o)] >= 0) ids.push_back(it->second[static_cast<std::size_t>(o)]);
        }
        return ids;
    }

private:
    // As librdkafka does: what the listener throws is held until the step is complete.
    void deliver(const SourceEvent& event, pipeline::SourceListener& listener) {
        std::exception_ptr error;
        try {
            listener.on_event(event);
        } catch (...) {
            error = std::current_exception();
        }
        if (event.kind == SourceEvent::Kind::Assigned) assigned_ += event.partitions;
        if (event.kind == SourceEvent::Kind::Revoking) {
            assigned_ -= event.partitions;
            journal_.push_back("revoked");
        }
        if (error) std::rethrow_exception(error);
    }

    Journal& journal_;
    std::deque<Step> script_;
    Message current_;
    Message reread_;
    std::map<std::int32_t, std::vector<Message>> log_;
    // Every message carries these, as Kafka headers.
    const std::vector<pipeline::Header> headers_{{"origin", "test"}, {"empty", {}}};
    pipeline::SourceMessage message_;
    std::map<std::int32_t, std::int64_t> next_offset_;
    std::map<std::int32_t, std::vector<std::int64_t>> delivered_;
    std::map<std::int32_t, std::int64_t> committed_;
    int assigned_ = 0;
};

// A store that records ids, and fails as told.
class MemoryStore final : public store::Store {
public:
    explicit MemoryStore(Journal& journal) : journal_(journal) {}

    int transient_failures = 0;          // the next writes that fail with TransientError
    int writes_before_failure = -1;      // this many writes succeed, then every one fails for good
    int writes_before_outage = -1;       // this many writes succeed, then every one is TransientError
    std::set<std::string> refused_names; // rows of these users are refused for good
    std::function<void(std::span<const model::EnrichedRow>)> before_write;  // may throw

    void ensure_schema() override {}
    void write(std::span<const model::EnrichedRow> rows) override {
        if (before_write) before_write(rows);
        if (transient_failures > 0) {
            --transient_failures;
            journal_.push_back("transient");
            throw TransientError("store busy");
        }
        if (writes_before_failure == 0) {
            journal_.push_back("failed");
            throw Error("disk full");
        }
        if (writes_before_outage == 0) {
            journal_.push_back("transient");
            throw TransientError("store down");
        }
        for (const auto& row : rows) {
            if (refused_names.count(row.name)) {
                journal_.push_back("refused");
                throw Error(fmt::format("CHECK constraint failed: name {}", row.name));
            }
        }
        if (writes_before_failure > 0) --writes_before_failure;
        if (writes_before_outage > 0) --writes_before_outage;
        for (const auto& row : rows) ids.insert(row.id);
        journal_.push_back(fmt::format("write {}", rows.size()));
    }
    model::Table sample(std::size_t) override { return {}; }
    model::Table songs(const store::HourKey&) override { return {}; }
    model::Table stats(const store::HourKey&) override { return {}; }
    std::int64_t count_rows() override { return static_cast<std::int64_t>(ids.size()); }

    std::multiset<std::int64_t> ids;

private:
    Journal& journal_;
};

struct Letter {
    pipeline::Stage stage;
    std::string reason;
    std::int32_t partition;
    std::int64_t offset;
    std::string key;
    std::string payload;
    std::vector<std::pair<std::string, std::string>> headers;
};

class MemoryDeadLetters final : public pipeline::DeadLetterSink {
public:
    explicit MemoryDeadLetters(Journal& journal) : journal_(journal) {}
    int unacknowledged_flushes = 0;  // the next looks report no letter acknowledged
    bool fail = false;               // letters fail for good

    std::uint64_t send(const pipeline::DeadLetter& l) override {
        Letter letter{l.stage, std::string(l.reason), l.partition, l.offset, std::string(l.key),
                      std::string(l.payload), {}};
        for (const auto& h : l.headers) letter.headers.emplace_back(h.key, h.value.data() ? h.value : "(null)");
        letters.push_back(std::move(letter));
        journal_.push_back(fmt::format("letter {}@{}", l.partition, l.offset));
        return letters.size();
    }
    std::uint64_t acknowledged() override {
        if (fail) throw Error("dead-letter topic dlq: broker said no");
        if (unacknowledged_flushes > 0) {
            --unacknowledged_flushes;
        } else if (acknowledged_ < letters.size()) {
            acknowledged_ = letters.size();
            journal_.push_back("letters acknowledged");
        }
        return acknowledged_;
    }
    bool flush(std::chrono::milliseconds) override { return acknowledged() == letters.size(); }
    std::string_view name() const override { return "dlq"; }

    std::vector<Letter> letters;

private:
    Journal& journal_;
    std::uint64_t acknowledged_ = 0;
};

// A store that answers writes from its own thread, as the Cassandra store does: once every write
// named in `order` is pending (so they are all in flight at once), it answers them in that order,
// `pause` apart, failing those in `failing` for good; later writes are answered at once.
class AsyncStore final : public store::Store {
public:
    AsyncStore(Journal& journal, std::vector<int> order, std::set<int> failing = {},
               std::chrono::milliseconds pause = 30ms)
        : journal_(journal), order_(std::move(order)), failing_(std::move(failing)), pause_(pause),
          answerer_([this] { answer(); }) {}
    ~AsyncStore() override {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        changed_.notify_all();
        answerer_.join();
    }

    void ensure_schema() override {}
    void write(std::span<const model::EnrichedRow> rows) override {
        for (const auto& row : rows) ids.insert(row.id);
    }
    void write_async(std::span<const model::EnrichedRow> rows, WriteDone done) override {
        std::lock_guard lock(mutex_);
        const int n = ++writes_;
        journal_.push_back(fmt::format("send {}", n));
        pending_[n] = {rows, std::move(done)};
        changed_.notify_all();
    }
    model::Table sample(std::size_t) override { return {}; }
    model::Table songs(const store::HourKey&) override { return {}; }
    model::Table stats(const store::HourKey&) override { return {}; }
    std::int64_t count_rows() override { return static_cast<std::int64_t>(ids.size()); }

    std::multiset<std::int64_t> ids;

private:
    struct Pending {
        std::span<const model::EnrichedRow> rows;
        WriteDone done;
    };

    void answer() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] {
            return done_ || std::all_of(order_.begin(), order_.end(), [this](int n) { return pending_.count(n); });
        });
        for (int n : order_) {
            if (done_) return;
            lock.unlock();
            std::this_thread::sleep_for(pause_);
            lock.lock();
            reply(n, lock);
        }
        while (!done_) {
            changed_.wait(lock, [this] { return done_ || !pending_.empty(); });
            if (!pending_.empty()) reply(pending_.begin()->first, lock);
        }
    }
    void reply(int n, std::unique_lock<std::mutex>& lock) {
        Pending p = std::move(pending_.at(n));
        pending_.erase(n);
        const bool fails = failing_.count(n) != 0;
        if (!fails) {
            for (const auto& row : p.rows) ids.insert(row.id);
        }
        journal_.push_back(fmt::format("{} {}", fails ? "fail" : "ack", n));
        lock.unlock();
        p.done(fails ? std::make_exception_ptr(Error("disk full")) : nullptr);
        lock.lock();
    }

    Journal& journal_;
    std::vector<int> order_;
    std::set<int> failing_;
    std::chrono::milliseconds pause_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<int, Pending> pending_;
    int writes_ = 0;
    bool done_ = false;
    std::thread answerer_;  // last: starts once the members above exist
};

class QuietRejects final : public pipeline::RejectSink {
public:
    void reject(const pipeline::MessageOrigin&, const events::DecodeError&, std::string_view) override {}
};

class StreamJobTest : public ::testing::Test {
protected:
    StreamJobTest() : catalog_(catalog::Catalog::from_text(catalog::bundled_sample_csv(), "sample")),
                      generator_(catalog_, {"Ada", "Bo"}, 3, 9) {}

    Message good(std::int32_t partition, const std::string& user = "", std::int64_t time_ms = 0) {
        model::ListenEvent event;
        generator_.next(event, time_ms != 0 ? time_ms : 1709503200000 + next_id_);
        event.id = next_id_++;
        if (!user.empty()) event.name = user;
        std::string payload;
        events::encode_event(event, payload);
        return {partition, event.name, payload, event.id};
    }
    static Message bad(std::int32_t partition, std::string payload) {
        return {partition, "k", std::move(payload), -1};
    }
    static SourceEvent assign(int n) { return {.kind = SourceEvent::Kind::Assigned, .partitions = n}; }
    static SourceEvent revoke(int n) { return {.kind = SourceEvent::Kind::Revoking, .partitions = n}; }

    pipeline::StreamOptions options(std::uint64_t max_messages, std::size_t batch_size = 4) {
        pipeline::StreamOptions o;
        o.batch_size = batch_size;
        o.flush_interval = 10s;  // batches end by size, a rebalance or the end of the run
        o.max_messages = max_messages;
        o.commit_interval = 0ms;  // a commit after every batch, unless a test says otherwise
        o.exit_when_idle = 2s;   // a failing test ends instead of hanging
        o.report_interval = 0ms;
        o.quiet = true;
        return o;
    }

    // Every commit in the journal covers only messages the store (or the dead letters) had.
    template <class Store>
    void expect_every_commit_acknowledged(const MemorySource& source, const Store& store) {
        for (std::int32_t p = 0; p < 4; ++p) {
            for (std::int64_t id : source.ids_before(p, source.committed(p))) {
                EXPECT_EQ(store.ids.count(id), 1u) << "id " << id << " on partition " << p
                                                   << " committed but not stored";
            }
        }
    }

    catalog::Catalog catalog_;
    loadgen::EventGenerator generator_;
    std::int64_t next_id_ = 1;
    Journal journal_;
    QuietRejects rejects_;
    std::atomic<bool> stop_{false};
};

TEST_F(StreamJobTest, CommitsEachBatchOnlyAfterTheStoreAcknowledgedIt) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    source.add(assign(2));
    for (int i = 0; i < 10; ++i) source.add(good(i % 2));
    pipeline::StreamJob job(options(10), catalog_, store, source, rejects_);
    pipeline::Counters counters = job.run(stop_);

    EXPECT_EQ(counters.stored, 10u);
    EXPECT_EQ(counters.commits, 3u);
    const std::vector<std::string> want{"write 4", "commit 0:2 1:2", "write 4", "commit 0:4 1:4", "write 2",
                       "commit 0:5 1:5", "revoked"};
    EXPECT_EQ(journal_, want);
    expect_every_commit_acknowledged(source, store);
}

TEST_F(StreamJobTest, AStoreFailureCommitsNothingPastTheLastAcknowledgedBatch) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    store.writes_before_failure = 2;
    source.add(assign(1));
    for (int i = 0; i < 12; ++i) source.add(good(0));
    pipeline::StreamJob job(options(12), catalog_, store, source, rejects_);
    EXPECT_THROW(job.run(stop_), Error);

    EXPECT_EQ(source.committed(0), 8);  // two batches of four, acknowledged and committed
    EXPECT_EQ(store.ids.size(), 8u);
    EXPECT_EQ(journal_.back(), "revoked");  // the partitions were given up, nothing more written
    EXPECT_EQ(std::count(journal_.begin(), journal_.end(), "failed"), 1);
    expect_every_commit_acknowledged(source, store);
}

// With a commit interval, acknowledged batches wait for the next due commit (the first is due at
// once); what is held is committed at the end, and before the job stops on a failure.
TEST_F(StreamJobTest, ACommitIntervalHoldsAcknowledgedOffsetsUntilItIsDueOrTheEnd) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    source.add(assign(2));
    for (int i = 0; i < 10; ++i) source.add(good(i % 2));
    auto o = options(10);
    o.commit_interval = 1h;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_);
    pipeline::Counters counters = job.run(stop_);

    EXPECT_EQ(counters.stored, 10u);
    EXPECT_EQ(counters.commits, 2u);
    const std::vector<std::string> want{"write 4", "commit 0:2 1:2", "write 4", "write 2", "commit 0:5 1:5",
                                        "revoked"};
    EXPECT_EQ(journal_, want);
    expect_every_commit_acknowledged(source, store);
}

TEST_F(StreamJobTest, AStoreFailureCommitsWhatTheCommitIntervalHeldBack) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    store.writes_before_failure = 3;
    source.add(assign(1));
    for (int i = 0; i < 16; ++i) source.add(good(0));
    auto o = options(16);
    o.commit_interval = 1h;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_);
    EXPECT_THROW(job.run(stop_), Error);

    EXPECT_EQ(source.committed(0), 12);  // three batches of four: the first committed at once, two held
    EXPECT_EQ(std::count_if(journal_.begin(), journal_.end(), [](const std::string& e) { return e.starts_with("commit"); }), 2);
    expect_every_commit_acknowledged(source, store);
}

TEST_F(StreamJobTest, ATransientStoreErrorIsRetriedWithOffsetsHeld) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    store.transient_failures = 2;
    source.add(assign(1));
    for (int i = 0; i < 4; ++i) source.add(good(0));
    pipeline::StreamJob job(options(4), catalog_, store, source, rejects_);
    pipeline::Counters counters = job.run(stop_);

    EXPECT_EQ(counters.store_retries, 2u);
    EXPECT_EQ(counters.stored, 4u);
    const std::vector<std::string> want{"transient", "transient", "write 4", "commit 0:4", "revoked"};
    EXPECT_EQ(journal_, want);
    EXPECT_FALSE(job.status().snapshot().store_unreachable_since);  // cleared by the success
}

TEST_F(StreamJobTest, RevokingStoresAndCommitsWhatIsHeldBeforeThePartitionsGo) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    source.add(assign(2));
    for (int i = 0; i < 3; ++i) source.add(good(i % 2));  // under a batch: held at the revocation
    source.add(revoke(2));
    source.add(assign(1));
    source.add(good(1));
    pipeline::StreamJob job(options(4, 100), catalog_, store, source, rejects_);
    pipeline::Counters counters = job.run(stop_);

    EXPECT_EQ(counters.stored, 4u);
    const std::vector<std::string> want{"write 3", "commit 0:2 1:1", "revoked", "write 1", "commit 1:2", "revoked"};
    EXPECT_EQ(journal_, want);
}

TEST_F(StreamJobTest, AFailureWhileRevokingCommitsNothingAndStopsTheJob) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    store.writes_before_failure = 0;
    source.add(assign(2));
    for (int i = 0; i < 3; ++i) source.add(good(i % 2));
    source.add(revoke(2));
    source.add(assign(2));
    for (int i = 0; i < 3; ++i) source.add(good(i % 2));
    pipeline::StreamJob job(options(6, 100), catalog_, store, source, rejects_);
    EXPECT_THROW(job.run(stop_), Error);

    // The revocation completed (the group must not stall), nothing was committed, and the job
    // did not go on reading after it.
    const std::vector<std::string> want{"failed", "revoked"};
    EXPECT_EQ(journal_, want);
    EXPECT_EQ(source.committed(0), 0);
    EXPECT_EQ(source.committed(1), 0);
}

TEST_F(StreamJobTest, StoppedWhileTheStoreIsDownCommitsNothingAndDeadLettersNothing) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    MemoryDeadLetters letters(journal_);
    store.transient_failures = 1000;
    source.add(assign(1));
    for (int i = 0; i < 4; ++i) source.add(good(0));
    pipeline::StreamJob job(options(4), catalog_, store, source, rejects_, &letters);
    std::thread stopper([&] {
        std::this_thread::sleep_for(500ms);
        stop_ = true;
    });
    EXPECT_THROW(job.run(stop_), Error);
    stopper.join();
    EXPECT_EQ(source.committed(0), 0);
    EXPECT_TRUE(letters.letters.empty());  // a store that is down is waited for, never bypassed
    EXPECT_GE(std::count(journal_.begin(), journal_.end(), "transient"), 2);
}

// Stopped while the store is down: what was acknowledged before and held by the commit interval
// is committed on the way out, the batch the store never took is not.
TEST_F(StreamJobTest, StoppedWhileTheStoreIsDownCommitsWhatTheIntervalHeld) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    store.writes_before_outage = 2;
    source.add(assign(1));
    for (int i = 0; i < 12; ++i) source.add(good(0));
    auto o = options(12);
    o.commit_interval = 1h;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_);
    std::thread stopper([&] {
        std::this_thread::sleep_for(500ms);
        stop_ = true;
    });
    EXPECT_THROW(job.run(stop_), Error);
    stopper.join();
    EXPECT_EQ(source.committed(0), 8);  // the first batch at once, the second on the way out
    EXPECT_EQ(store.ids.size(), 8u);
    expect_every_commit_acknowledged(source, store);
}

TEST_F(StreamJobTest, RejectsAreDeadLetteredAndCommittedOnlyOnceAcknowledged) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    MemoryDeadLetters letters(journal_);
    letters.unacknowledged_flushes = 3;
    source.add(assign(1));
    source.add(good(0));
    source.add(bad(0, "not json"));
    source.add(bad(0, R"({"id":1,"name":"X","song":"No Such Song","time":"2024-03-03 10:00"})"));
    source.add(good(0));
    pipeline::StreamJob job(options(4), catalog_, store, source, rejects_, &letters);
    pipeline::Counters counters = job.run(stop_);

    ASSERT_EQ(letters.letters.size(), 2u);
    EXPECT_EQ(letters.letters[0].stage, pipeline::Stage::Decode);
    EXPECT_EQ(letters.letters[0].reason, "not_json");
    EXPECT_EQ(letters.letters[0].payload, "not json");
    EXPECT_EQ(letters.letters[0].offset, 1);
    EXPECT_EQ(letters.letters[1].stage, pipeline::Stage::Enrich);
    EXPECT_EQ(letters.letters[1].reason, "unknown_song");
    // The message's own headers travel with it, a header without a value included.
    const std::vector<std::pair<std::string, std::string>> own{{"origin", "test"}, {"empty", "(null)"}};
    EXPECT_EQ(letters.letters[0].headers, own);
    EXPECT_EQ(counters.dead_lettered, 2u);
    const std::vector<std::string> want{"letter 0@1", "letter 0@2", "write 2", "letters acknowledged", "commit 0:4",
                       "revoked"};
    EXPECT_EQ(journal_, want);
}

TEST_F(StreamJobTest, ADeadLetterFailureCommitsNothing) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    MemoryDeadLetters letters(journal_);
    letters.fail = true;
    source.add(assign(1));
    source.add(good(0));
    source.add(bad(0, "not json"));
    pipeline::StreamJob job(options(2), catalog_, store, source, rejects_, &letters);
    EXPECT_THROW(job.run(stop_), Error);
    EXPECT_EQ(source.committed(0), 0);
}

TEST_F(StreamJobTest, ARowTheStoreRefusesIsDeadLetteredAndItsNeighboursStored) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    MemoryDeadLetters letters(journal_);
    store.refused_names = {"Poison"};
    source.add(assign(1));
    source.add(good(0));
    Message poison = good(0, "Poison");
    source.add(poison);
    source.add(good(0));
    source.add(good(0));
    pipeline::StreamJob job(options(4), catalog_, store, source, rejects_, &letters);
    pipeline::Counters counters = job.run(stop_);

    EXPECT_EQ(counters.stored, 3u);
    EXPECT_EQ(counters.store_refused, 1u);
    EXPECT_EQ(counters.dead_lettered, 1u);
    ASSERT_EQ(letters.letters.size(), 1u);
    EXPECT_EQ(letters.letters[0].stage, pipeline::Stage::Store);
    EXPECT_EQ(letters.letters[0].reason, "store_refused");
    EXPECT_EQ(letters.letters[0].offset, 1);
    EXPECT_EQ(letters.letters[0].payload, poison.payload);  // the original bytes, not a re-encoding
    EXPECT_EQ(letters.letters[0].key, poison.key);
    const std::vector<std::pair<std::string, std::string>> own{{"origin", "test"}, {"empty", "(null)"}};
    EXPECT_EQ(letters.letters[0].headers, own);  // read again from the source, with its headers
    EXPECT_EQ(source.committed(0), 4);
    EXPECT_EQ(store.ids.count(poison.id), 0u);
}

TEST_F(StreamJobTest, WithoutADeadLetterTopicARefusedRowStopsTheJob) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    store.refused_names = {"Poison"};
    source.add(assign(1));
    source.add(good(0));
    source.add(good(0, "Poison"));
    pipeline::StreamJob job(options(2), catalog_, store, source, rejects_);
    EXPECT_THROW(job.run(stop_), Error);
    EXPECT_EQ(source.committed(0), 0);
}

TEST_F(StreamJobTest, AStoreThatRefusesEveryRowStopsTheJobEvenWithDeadLetters) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    MemoryDeadLetters letters(journal_);
    store.writes_before_failure = 0;
    source.add(assign(1));
    for (int i = 0; i < 4; ++i) source.add(good(0));
    pipeline::StreamJob job(options(4), catalog_, store, source, rejects_, &letters);
    EXPECT_THROW(job.run(stop_), Error);
    EXPECT_TRUE(letters.letters.empty());
    EXPECT_EQ(source.committed(0), 0);
}

TEST_F(StreamJobTest, DataLossIsCountedOrFailsTheJob) {
    const SourceEvent loss{.kind = SourceEvent::Kind::DataLoss, .partition = 0, .committed = 10,
                           .new_offset = 250, .skipped = 240};
    {
        MemorySource source(journal_);
        MemoryStore store(journal_);
        source.add(assign(1));
        source.add(loss);
        source.add(good(0));
        pipeline::StreamJob job(options(1), catalog_, store, source, rejects_);
        EXPECT_EQ(job.run(stop_).skipped, 240u);
    }
    MemorySource source(journal_);
    MemoryStore store(journal_);
    source.add(assign(1));
    source.add(loss);
    source.add(good(0));
    auto o = options(1);
    o.on_data_loss = pipeline::DataLossPolicy::Fail;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_);
    EXPECT_THROW(job.run(stop_), Error);
    EXPECT_TRUE(store.ids.empty());
}

TEST_F(StreamJobTest, UnreachableBrokersCountAsIdle) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    source.add({SourceEvent{.kind = SourceEvent::Kind::Unreachable, .text = "1/1 brokers are down"}});
    auto o = options(0);
    o.exit_when_idle = 300ms;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_);
    const auto start = std::chrono::steady_clock::now();
    job.run(stop_);  // never assigned: without the unreachable event this would run forever
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
    EXPECT_TRUE(job.status().snapshot().brokers_unreachable_since);
}

// Time spent waiting for room in the store is not idleness: the source still has messages.
TEST_F(StreamJobTest, WaitingLongerThanTheIdleTimeForTheStoreIsNotIdle) {
    MemorySource source(journal_);
    AsyncStore store(journal_, {1}, {}, 600ms);  // the first batch is answered after 600 ms
    source.add(assign(1));
    for (int i = 0; i < 6; ++i) source.add(good(0));
    auto o = options(0, 2);
    o.max_in_flight = 1;  // the second batch waits for the first's answer
    o.exit_when_idle = 300ms;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_);
    pipeline::Counters counters = job.run(stop_);

    EXPECT_EQ(counters.consumed, 6u) << journal_;
    EXPECT_EQ(counters.stored, 6u) << journal_;
    EXPECT_EQ(source.committed(0), 6);
}

// Nor is backing off while a refused batch's rows are written one by one (to dead-letter the one
// refused): a poll that then finds nothing, as one may while a fetch is on its way, ends nothing.
TEST_F(StreamJobTest, BackingOffWhileDeadLetteringARowIsNotIdle) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    MemoryDeadLetters letters(journal_);
    store.refused_names = {"Poison"};
    int busy = 3;  // the poison row on its own is first turned away as busy: 100 + 200 + 400 ms of backoff
    store.before_write = [&](std::span<const model::EnrichedRow> rows) {
        if (rows.size() == 1 && rows[0].name == "Poison" && busy-- > 0) throw TransientError("busy");
    };
    source.add(assign(1));
    source.add(good(0, "Poison"));
    source.add(good(0));
    source.add(MemorySource::Nothing{});
    source.add(good(0));
    source.add(good(0));
    auto o = options(0, 2);
    o.exit_when_idle = 300ms;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_, &letters);
    pipeline::Counters counters = job.run(stop_);

    EXPECT_EQ(busy, -1) << "the backoff did not happen: " << journal_;
    EXPECT_EQ(counters.consumed, 4u) << journal_;
    EXPECT_EQ(counters.stored, 3u) << journal_;
    EXPECT_EQ(counters.dead_lettered, 1u) << journal_;
    EXPECT_EQ(source.committed(0), 4);
}

// Pipelined writes (issue 10): several batches in flight, answered out of order.
TEST_F(StreamJobTest, CommitsInBatchOrderWhileSeveralBatchesAreInFlight) {
    MemorySource source(journal_);
    AsyncStore store(journal_, {2, 1, 3});  // batch 2 is acknowledged before batch 1
    source.add(assign(1));
    for (int i = 0; i < 6; ++i) source.add(good(0));
    auto o = options(6, 2);
    o.max_in_flight = 3;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_);
    pipeline::Counters counters = job.run(stop_);

    EXPECT_EQ(counters.stored, 6u);
    EXPECT_EQ(source.committed(0), 6);
    EXPECT_LT(journal_.position("send 3"), journal_.position("ack 2")) << journal_;  // all three in flight
    // Batch 2 alone is never committed before batch 1: the first commit covers both, after ack 1.
    EXPECT_EQ(journal_.position("commit 0:2"), std::size_t(std::distance(journal_.begin(), journal_.end())))
        << journal_;
    EXPECT_LT(journal_.position("ack 1"), journal_.position("commit 0:4")) << journal_;
    EXPECT_LT(journal_.position("commit 0:4"), journal_.position("ack 3")) << journal_;
    EXPECT_LT(journal_.position("ack 3"), journal_.position("commit 0:6")) << journal_;
    expect_every_commit_acknowledged(source, store);
}

TEST_F(StreamJobTest, AFailureOfBatchTwoWhileThreeIsInFlightCommitsNothingPastBatchOne) {
    MemorySource source(journal_);
    AsyncStore store(journal_, {1, 2, 3}, {2});
    source.add(assign(1));
    for (int i = 0; i < 6; ++i) source.add(good(0));
    auto o = options(6, 2);
    o.max_in_flight = 3;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_);
    EXPECT_THROW(job.run(stop_), Error);

    EXPECT_EQ(source.committed(0), 2);  // batch 1 only, though batch 3 was stored
    EXPECT_EQ(store.ids.size(), 4u);
    // The job waited for batch 3's answer before it gave the partitions up.
    EXPECT_LT(journal_.position("ack 3"), journal_.position("revoked")) << journal_;
    EXPECT_EQ(journal_.back(), "revoked");
    expect_every_commit_acknowledged(source, store);
}

TEST_F(StreamJobTest, RevocationWaitsForTheBatchesInFlight) {
    MemorySource source(journal_);
    AsyncStore store(journal_, {1, 2}, {}, 100ms);
    source.add(assign(1));
    for (int i = 0; i < 4; ++i) source.add(good(0));
    source.add(revoke(1));
    source.add(assign(1));
    for (int i = 0; i < 2; ++i) source.add(good(0));
    auto o = options(6, 2);
    o.max_in_flight = 3;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_);
    pipeline::Counters counters = job.run(stop_);

    EXPECT_EQ(counters.stored, 6u);
    const std::size_t revoked = journal_.position("revoked");
    EXPECT_LT(journal_.position("ack 2"), revoked) << journal_;
    EXPECT_LT(journal_.position("commit 0:4"), revoked) << journal_;  // committed before they went
    EXPECT_GT(journal_.position("send 3"), revoked) << journal_;
    EXPECT_EQ(source.committed(0), 6);
}

TEST_F(StreamJobTest, CountsEachEventsAgeWhenReadAndWhenStored) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    source.add(assign(1));
    const std::int64_t sent_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch()).count() - 3000;
    for (int i = 0; i < 6; ++i) source.add(good(0, "", sent_ms));
    source.add(bad(0, "not json"));
    pipeline::StreamJob job(options(7), catalog_, store, source, rejects_);
    pipeline::Counters counters = job.run(stop_);

    ASSERT_EQ(counters.stored, 6u);
    EXPECT_EQ(counters.age_at_read.count(), 6u);  // events only: the reject has no time
    // Three seconds old when read (the run takes well under the slack), and no older than when stored.
    EXPECT_GE(counters.age_at_read.percentile(0.01), 2999);
    EXPECT_LE(counters.age_at_read.percentile(1.0), 3000 + 5000);
    EXPECT_LE(counters.age_at_read.percentile(1.0), counters.age_at_ack.percentile(1.0));
    EXPECT_NE(counters.summary().find(" age_at_read: p50="), std::string::npos) << counters.summary();
}

// --linger: rows that arrive apart, each while the store has room, share one write.
TEST_F(StreamJobTest, ALingerGathersRowsThatArriveApartIntoOneWrite) {
    auto writes = [&](std::chrono::milliseconds linger) {
        Journal journal;
        MemorySource source(journal);
        MemoryStore store(journal);
        source.add(assign(1));
        for (int i = 0; i < 3; ++i) {
            source.add(good(0));
            source.add(MemorySource::Nothing{});  // the source runs dry after each row
        }
        auto o = options(3, 100);
        o.linger = linger;
        pipeline::StreamJob job(o, catalog_, store, source, rejects_);
        EXPECT_EQ(job.run(stop_).stored, 3u) << journal;
        EXPECT_EQ(source.committed(0), 3) << journal;
        return std::count_if(journal.begin(), journal.end(), [](const std::string& e) { return e.starts_with("write"); });
    };
    EXPECT_EQ(writes(0ms), 3);  // natural batching: each row as soon as the source ran dry
    EXPECT_EQ(writes(1h), 1);   // held by the linger until the run's end wrote it
}

// A lingering batch is waited for, not spun on: each poll may wait until the linger ends (this
// source waits at most 2 ms a poll when it has nothing).
TEST_F(StreamJobTest, ALingeringBatchIsWaitedForNotPolledInALoop) {
    MemorySource source(journal_);
    MemoryStore store(journal_);
    source.add(assign(1));
    source.add(good(0));
    auto o = options(0, 100);
    o.linger = 1h;
    o.exit_when_idle = 200ms;
    pipeline::StreamJob job(o, catalog_, store, source, rejects_);
    EXPECT_EQ(job.run(stop_).stored, 1u) << journal_;
    EXPECT_LT(source.polls, 500) << "polled " << source.polls << " times in 200 ms";
}

TEST(BatchPolicy, FullAtTheCountDueWhenTheStoreHasRoomAndTheSourceRanDry) {
    using Clock = pipeline::BatchPolicy::Clock;
    const auto t0 = Clock::now();
    pipeline::BatchPolicy natural(3, 0ms);
    EXPECT_FALSE(natural.due(t0, true, true));  // nothing to write
    EXPECT_FALSE(natural.add(t0));
    EXPECT_FALSE(natural.due(t0, true, false));  // more is ready: keep filling
    EXPECT_FALSE(natural.due(t0, false, true));  // the store is busy: keep filling
    EXPECT_TRUE(natural.due(t0, true, true));
    EXPECT_EQ(*natural.until_next(t0, true), Clock::duration::zero());  // due as soon as the source runs dry
    EXPECT_FALSE(natural.until_next(t0, false));  // no timer: the store's room decides
    EXPECT_FALSE(natural.add(t0));
    EXPECT_TRUE(natural.add(t0));
    EXPECT_TRUE(natural.due(t0, false, false));  // full: due, room or not
    natural.reset();
    EXPECT_EQ(natural.messages(), 0u);

    pipeline::BatchPolicy bounded(100, 50ms);
    bounded.add(t0);
    EXPECT_EQ(*bounded.until_next(t0 + 20ms, false), Clock::duration(30ms));
    EXPECT_FALSE(bounded.due(t0 + 49ms, false, false));
    EXPECT_TRUE(bounded.due(t0 + 50ms, false, false));  // the --flush-interval upper bound
}

TEST(BatchPolicy, LingerHoldsABatchThatIsNotFullThoughTheStoreHasRoom) {
    using Clock = pipeline::BatchPolicy::Clock;
    const auto t0 = Clock::now();
    pipeline::BatchPolicy lingering(3, 0ms, 20ms);
    lingering.add(t0);
    EXPECT_FALSE(lingering.due(t0 + 19ms, true, true));  // room and nothing more ready: still waits
    EXPECT_EQ(*lingering.until_next(t0 + 5ms, true), Clock::duration(15ms));
    EXPECT_FALSE(lingering.until_next(t0 + 5ms, false));  // without room the store's room decides
    EXPECT_TRUE(lingering.due(t0 + 20ms, true, true));
    EXPECT_FALSE(lingering.due(t0 + 20ms, false, true));  // lingered, but the store is busy
    EXPECT_FALSE(lingering.due(t0 + 20ms, true, false));  // lingered, but more is ready
    lingering.add(t0 + 1ms);
    EXPECT_TRUE(lingering.add(t0 + 2ms));
    EXPECT_TRUE(lingering.due(t0 + 2ms, false, false));  // full: the linger does not hold it

    // --flush-interval below the linger: the interval is the longest any row waits.
    pipeline::BatchPolicy bounded(100, 10ms, 20ms);
    bounded.add(t0);
    EXPECT_EQ(*bounded.until_next(t0 + 4ms, true), Clock::duration(6ms));
    EXPECT_TRUE(bounded.due(t0 + 10ms, false, false));
}

TEST(DeadLetterHeaders, NameTheStageReasonAndOrigin) {
    const pipeline::DeadLetter letter{.stage = pipeline::Stage::Enrich, .reason = "unknown_song",
                                      .message = "song 'X' is not in the catalogue",
                                      .topic = "listens", .partition = 3, .offset = 42,
                                      .timestamp_ms = 1709503200123, .key = "k", .payload = "{}"};
    const std::vector<std::pair<std::string, std::string>> want{
        {"playstream.error.stage", "enrich"},
        {"playstream.error.reason", "unknown_song"},
        {"playstream.error.message", "song 'X' is not in the catalogue"},
        {"playstream.source.topic", "listens"},
        {"playstream.source.partition", "3"},
        {"playstream.source.offset", "42"},
        {"playstream.source.timestamp", "1709503200123"},
    };
    EXPECT_EQ(pipeline::dead_letter_headers(letter), want);
    EXPECT_EQ(pipeline::stage_of(model::RejectReason::NotJson), pipeline::Stage::Decode);
    EXPECT_EQ(pipeline::stage_of(model::RejectReason::BadTime), pipeline::Stage::Decode);
}

TEST(LogRejectSink, CountsTheLinesItSuppresses) {
    pipeline::LogRejectSink sink(2);
    events::DecodeError error{.reason = model::RejectReason::NotJson, .detail = "x"};
    for (int i = 0; i < 5; ++i) sink.reject({"listens", 0, i}, error, "x");
    EXPECT_EQ(sink.suppressed(), 3u);
}

}  // namespace
}  // namespace playstream
