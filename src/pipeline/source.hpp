#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace playstream::pipeline {

// Next offset to read in one partition of the source's topic: what a commit stores.
struct PartitionOffset {
    std::int32_t partition = 0;
    std::int64_t next_offset = 0;
};

// Adds `o` to `offsets`, one entry per partition: the furthest of them.
inline void keep_furthest(std::vector<PartitionOffset>& offsets, const PartitionOffset& o) {
    for (PartitionOffset& x : offsets) {
        if (x.partition != o.partition) continue;
        if (o.next_offset > x.next_offset) x.next_offset = o.next_offset;
        return;
    }
    offsets.push_back(o);
}

// How far a partition's reader is behind its end: for the metrics.
struct PartitionLag {
    std::int32_t partition = 0;
    std::int64_t lag = 0;  // messages from the group's committed offset to the partition's end
};

struct Header {
    std::string_view key{};
    std::string_view value{};  // data() is null for a header without a value
};

// One message read from the source. Its views stay valid until the next poll() or close().
// A key or payload that is absent (null, as in a Kafka tombstone) has a null data(); an empty one
// has a non-null data() and size 0, so a dead letter can keep the difference.
struct SourceMessage {
    std::string_view topic{};
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::int64_t timestamp_ms = -1;  // -1: none
    std::string_view key{};
    std::string_view payload{};
    // The message's own headers, read only when asked for: only a dead letter carries them, and
    // librdkafka allocates to read them (a tenth of `stream`'s allocations when read for every
    // message). Valid as long as the views above; unset: none.
    std::function<std::span<const Header>()> headers{};

    std::span<const Header> read_headers() const { return headers ? headers() : std::span<const Header>{}; }
};

// What the source tells its reader besides messages, during poll() or close().
struct SourceEvent {
    enum class Kind {
        Assigned,    // `partitions` partitions are now ours
        Revoking,    // `partitions` are about to be taken away: store and commit what is held
        Error,       // a condition worth a log line (`text`); `fatal`: the source cannot go on
        Unreachable, // no broker answers (`text`); the source keeps trying
        Reachable,   // a broker answers again after `unreachable`
        DataLoss,   // `partition`'s Committed offset lies outside the log: reading resumes at
                     // `new_offset`; `skipped` messages (from `committed`) are gone for good
        Committed,     // an asynchronous commit (commit_async) was acknowledged
        CommitFailed, // an asynchronous commit failed (`text`); a later commit covers its offsets
    };
    Kind kind = Kind::Error;
    int partitions = 0;
    bool fatal = false;
    std::string text{};
    std::int32_t partition = -1;
    std::int64_t committed = -1;
    std::int64_t new_offset = -1;
    std::int64_t skipped = 0;
};

class SourceListener {
public:
    virtual ~SourceListener() = default;
    // Called from inside poll() or close(). A `revoking` event comes before the partitions go,
    // so the listener can store and commit first. What the listener throws is held and rethrown
    // by poll()/close() once the source has finished the step it was in (a rebalance must
    // complete whatever happens, or the group stalls).
    virtual void on_event(const SourceEvent& event) = 0;
};

// Where the pipeline reads from (issue 7 §1): the Kafka consumer group in production, an
// in-memory list in unit tests. The acknowledgement travels with the message: each message names
// its partition and offset, and the reader commits an offset only once every output acknowledged
// everything before it. Nothing is committed automatically.
class Source {
public:
    virtual ~Source() = default;

    // The next message, or null when none came within `timeout`; events are delivered to
    // `listener` meanwhile.
    virtual const SourceMessage* poll(std::chrono::milliseconds timeout, SourceListener& listener) = 0;
    // Synchronous commit of the next offsets to read; returns "" on success, else why not.
    virtual std::string commit(std::span<const PartitionOffset> offsets) = 0;
    // Commit without waiting for the broker. Returns the outcome when it is known at once (""
    // or why not), or nullopt when it comes later, during poll() or close(), as a `committed` or
    // `commit_failed` event. Commits are applied in the order they were made. The default is
    // the synchronous commit.
    virtual std::optional<std::string> commit_async(std::span<const PartitionOffset> offsets) {
        return commit(offsets);
    }
    // The message at `partition`@`offset` of the source's topic, read again: for the rare
    // message that a later stage refuses (a row the store will not take), so that no stage keeps
    // a copy of every message in case. Its views stay valid until the next reread() or close();
    // it ends those of the message poll() returned.
    // Null when the source no longer has it.
    virtual const SourceMessage* reread(std::int32_t partition, std::int64_t offset) = 0;
    // Gives the partitions up (a `revoking` event first, if any are held). Idempotent.
    virtual void close(SourceListener& listener) = 0;
    // What the source reads, for log lines ("listens").
    virtual std::string_view name() const = 0;
    // Lag per partition as last known (empty when the source does not measure it). Safe to call
    // from the job's thread between polls.
    virtual std::vector<PartitionLag> lag() const { return {}; }
};

}  // namespace playstream::pipeline
