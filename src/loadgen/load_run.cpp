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

// The pacing's granularity: events due within one tick go out together.
constexpr auto pace_tick = std::chrono::milliseconds(1);

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
        // A tick: at full speed every 1024th event; when paced, each time the run waited for its
        // schedule. Delivery reports, status and progress are looked at once a tick, not per event.
        bool tick = (result.sent & 1023) == 0;
        if (paced) {
            auto due = start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(static_cast<double>(result.sent) / options.rate));
            // Waits only when a whole pace_tick ahead, so a fast rate goes out in bursts of a
            // millisecond's events, not one sleep (and one context switch) per event: at 20,000/s
            // `produce` took 0.33 of a core with a sleep per event, 0.22 with one per tick, on
            // the machine whose store the freshness benchmark measures.
            if (auto now = Clock::now(); due - now >= pace_tick) {
                tick = true;
                // In slices, so a stop request never waits for a slow rate's next event.
                for (; now < due && !stop.load(); now = Clock::now()) {
                    std::this_thread::sleep_for(std::min<Clock::duration>(due - now, std::chrono::milliseconds(100)));
                }
                if (stop.load()) break;
            }
        }
        generator.next(event, now_ms());
        events::encode_event(event, payload);
        producer.send(options.topic, event.name, payload);
        ++result.sent;
        if (options.echo) fmt::print("{}\n", payload);
        if (on_event) on_event(event);
        if (!tick) continue;
        producer.poll();
        if (options.status != nullptr) {
            options.status->sent.store(result.sent, std::memory_order_relaxed);
            if (auto now = Clock::now(); now - rate_since >= std::chrono::seconds(1)) {
                options.status->actual_rate.store(static_cast<double>(result.sent - rate_base) /
                                                  std::chrono::duration<double>(now - rate_since).count());
                rate_since = now;
                rate_base = result.sent;
            }
        }
        if (options.progress && Clock::now() >= next_progress) {
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
