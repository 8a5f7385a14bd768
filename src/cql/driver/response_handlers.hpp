#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <optional>
#include <vector>

#include "cql/driver/response_handler.hpp"
#include "cql/driver/stream_ids.hpp"
#include "cql/response.hpp"

namespace playstream::cql::driver {

// The requests in flight on one connection, by stream id, as scylla-rust-driver's
// ResponseHandlerMap keeps them: the ids, the handler each answer goes to, the requests'
// deadlines and the ids of timed-out ("orphaned") requests in one table, so that one lookup
// tells what an answer is for and nothing is kept in step by hand.
//
// An orphaned id stays taken until the node's late answer arrives: it must not be taken for the
// answer to a newer request on the same id. Deadlines are kept in allocation order (a connection
// gives every request the same timeout), so finding the expired requests looks at the oldest
// only: one timeout sweep per connection instead of a timer per request.
// Not thread-safe: one connection's I/O strand owns it.
class ResponseHandlerMap {
public:
    using Handler = ResponseHandler;
    using Clock = std::chrono::steady_clock;

    // A free stream id for a request whose answer goes to `handler`, due by `deadline` (not
    // earlier than any deadline given before: it is raised to the latest if it is); std::nullopt,
    // leaving `handler` untouched, when every id is taken.
    std::optional<std::int16_t> allocate(Handler& handler, Clock::time_point deadline);
    // The request on `id` was handed to the socket: the node may have run it.
    void mark_written(std::int16_t id);

    // What an answer on a stream id is for.
    enum class Outcome {
        Pending,   // a request's answer: `handler` is its handler; the id is free again
        Orphaned,  // the late answer to a timed-out request: the id is free again
        Unknown,   // no request has this id: the node broke the protocol
    };
    struct Found {
        Outcome outcome;
        Handler handler;
    };
    Found take(std::int16_t id);

    // Takes the handlers of the requests past their deadline at `now`, oldest first, and orphans
    // their ids.
    std::vector<Handler> take_expired(Clock::time_point now);
    // When take_expired may next find something; std::nullopt when nothing is pending.
    std::optional<Clock::time_point> next_deadline();

    // Takes every pending request: f(handler, written) for each. Orphaned ids stay orphaned.
    template <class F>
    void take_all(F&& f) {
        for (auto& entry : entries_) {
            if (!entry.handler) continue;
            auto handler = std::move(entry.handler);
            entry.handler = nullptr;
            f(handler, entry.written);
        }
        deadlines_.clear();
    }

    std::size_t in_flight() const { return ids_.in_flight(); }
    std::size_t orphaned() const { return ids_.parked(); }

private:
    struct Entry {
        Handler handler;  // empty unless a request is pending on this id
        std::uint32_t generation = 0;  // of the request last allocated on this id
        bool written = false;
    };
    struct Deadline {
        Clock::time_point at;
        std::int16_t id;
        std::uint32_t generation;
    };
    bool is_live(const Deadline& d) const;
    // Drops the deadlines of answered requests at the front, so the queue holds about as many
    // entries as there are requests in flight.
    void trim();

    StreamIds ids_;
    std::vector<Entry> entries_;    // by id, grown to the highest id used
    std::deque<Deadline> deadlines_;  // in allocation order, so in deadline order
};

}  // namespace playstream::cql::driver
