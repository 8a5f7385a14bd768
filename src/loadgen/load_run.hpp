#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "kafka/producer.hpp"
#include "loadgen/event_generator.hpp"

namespace playstream::loadgen {

// How a run is going, for readers on other threads (/metrics).
struct LoadStatus {
    std::atomic<std::uint64_t> sent{0};  // handed to the producer
    std::atomic<double> actual_rate{0};  // events per second sent, over the last second or so
};

struct LoadOptions {
    std::string topic;
    std::uint64_t count = 0;  // 0: until stopped
    double rate = 1.0;        // events per second; 0: as fast as the broker takes them
    bool echo = false;        // each event as a JSON line on stdout
    bool progress = true;     // a progress line on stderr every few seconds
    LoadStatus* status = nullptr;  // kept current while the run goes, if given
};

struct LoadResult {
    std::uint64_t sent = 0;
    double seconds = 0;  // from the first send until every message was acknowledged
};

// Generates and sends events at a steady pace (event i is due at start + i/rate, so a slow
// moment is caught up rather than lost), keyed by user name, then waits for every delivery.
// `on_event` sees each event as sent. Throws playstream::Error if any delivery failed.
LoadResult run_load(kafka::Producer& producer, EventGenerator& generator, const LoadOptions& options,
                    const std::atomic<bool>& stop,
                    const std::function<void(const model::ListenEvent&)>& on_event = {});

}  // namespace playstream::loadgen
