#pragma once
// Fault injection for the fault matrix (tests/faults/): named points on the paths where a crash
// risks losing or doubling data. In a build with PLAYSTREAM_FAULT_INJECTION (a CMake option, on
// in the sanitizer build), PLAYSTREAM_FAULT=POINT:N kills the process with SIGKILL the Nth time
// POINT is reached, as a crash would; such a binary says so on stderr at start. In any other
// build (the release binary users install) a point compiles to nothing and the variable is
// ignored.
//
// Points: after_ack (the store acknowledged a batch, its offsets not yet committed),
// store_mid_write (SQLite: rows inserted, COMMIT not yet run; Cassandra: the answer that takes a
// batch's acknowledged rows past half, which may carry a partition's rows at once), revoke.begin (partitions being taken away, before their batch is flushed).
// A point reached inside a FaultScope carries its name: revoke.after_ack, revoke.store_mid_write.

namespace playstream::util {

#ifdef PLAYSTREAM_FAULT_INJECTION
namespace fault_detail {
void reach(const char* point);
const char* push_scope(const char* scope);
void pop_scope(const char* previous);
bool holds_batches();
}  // namespace fault_detail

inline void fault_point(const char* point) { fault_detail::reach(point); }

// True while a point inside a revocation (revoke.*) is armed: the job then holds what it read
// until the batch is full, its period passed or the partitions go, instead of writing it as soon
// as the store has room, so that the revocation finds a batch to flush (tests/faults/fault_points.sh).
bool fault_holds_batches();

// Names the points reached while it lives, on any thread (e.g. "revoke" inside a rebalance: the
// batch it flushes is written on the store's own thread).
class FaultScope {
public:
    explicit FaultScope(const char* scope) : previous_(fault_detail::push_scope(scope)) {}
    ~FaultScope() { fault_detail::pop_scope(previous_); }
    FaultScope(const FaultScope&) = delete;
    FaultScope& operator=(const FaultScope&) = delete;

private:
    const char* previous_;
};
#else
inline void fault_point(const char*) {}
constexpr bool fault_holds_batches() { return false; }

class FaultScope {
public:
    explicit FaultScope(const char*) {}
};
#endif

}  // namespace playstream::util
