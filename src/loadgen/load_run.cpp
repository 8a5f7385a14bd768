#include "loadgen/load_run.hpp"

#include <chrono>
#include <algorithm>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "events/event_codec.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace playstream::loadgen {

using Clock = std::chrono::steady_clock;

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

LoadResult run_load(kafka::Producer& producer, EventGenerator& generator, const LoadOptions& options,
                    const std::atomic<bool>& stop,
                    const std::function<void(const model::ListenEvent&)>& on_event) {
    model::ListenEvent event;
    std::string payload;
    const auto start = Clock::now();
    auto next_progress = start + std::chrono::seconds(5);
    LoadResult result;
    const bool paced = options.rate > 0;
    auto rate_since = start;
    std::uint64_t rate_base = 0;
    while ((options.count == 0 || result.sent < options.count) && !stop.load() && producer.failed() == 0) {
        if (paced) {
            auto due = start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(static_cast<double>(result.sent) / options.rate));
            // In slices, so a stop request never waits for a slow rate's next event.
            for (auto now = Clock::now(); now < due && !stop.load(); now = Clock::now()) {
                std::this_thread::sleep_for(std::min<Clock::duration>(due - now, std::chrono::milliseconds(100)));
            }
            if (stop.load()) break;
        }
        generator.next(event, now_ms());
        events::encode_event(event, payload);
        producer.send(options.topic, event.name, payload);
        ++result.sent;
        if (options.echo) fmt::print("{}\n", payload);
        if (on_event) on_event(event);
        // Delivery reports and progress: every event when paced, in strides at full speed.
        if (paced || (result.sent & 1023) == 0) producer.poll();
        if (options.status != nullptr && (paced || (result.sent & 255) == 0)) {
            options.status->sent.store(result.sent, std::memory_order_relaxed);
            if (auto now = Clock::now(); now - rate_since >= std::chrono::seconds(1)) {
                options.status->actual_rate.store(static_cast<double>(result.sent - rate_base) /
                                                  std::chrono::duration<double>(now - rate_since).count());
                rate_since = now;
                rate_base = result.sent;
            }
        }
        if (options.progress && (paced || (result.sent & 255) == 0) && Clock::now() >= next_progress) {
            next_progress += std::chrono::seconds(5);
            log::info("produce",
                      fmt::format("sent {}{} events to {}, {} acknowledged", result.sent,
                                  options.count != 0 ? fmt::format("/{}", options.count) : "", options.topic,
                                  producer.delivered()),
                      {{"sent", result.sent}, {"topic", options.topic}, {"acknowledged", producer.delivered()}});
        }
    }
    if (options.echo) std::fflush(stdout);
    // After a stop request, what was sent gets 10 s more to be delivered.
    for (int grace = 0; !producer.flush(1000);) {
        if (stop.load() && ++grace >= 10) break;
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (options.status != nullptr) options.status->sent.store(result.sent);
    if (producer.failed() != 0 || producer.delivered() != result.sent) {
        throw Error(fmt::format("produce: {} of {} events not delivered; first error: {}",
                                result.sent - producer.delivered(), result.sent,
                                producer.first_error().empty() ? "none reported (interrupted)"
                                                               : producer.first_error()));
    }
    return result;
}

}  // namespace playstream::loadgen
