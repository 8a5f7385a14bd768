// `produce` into the embedded broker with gzip (target: >= 200,000 events/s), against the named
// baseline "librdkafka_raw": the same payloads and keys, encoded beforehand, sent through the
// same producer settings with nothing else to do. Both run in one process, one after the other,
// against one embedded broker.
#include <chrono>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "bench_events.hpp"
#include "kafka/embedded_broker.hpp"
#include "loadgen/load_run.hpp"

using namespace playstream;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::uint64_t count = argc > 1 ? std::stoull(argv[1]) : 500000;
    const std::string compression = argc > 2 ? argv[2] : "gzip";
    catalog::Catalog catalog = catalog::Catalog::from_text(catalog::bundled_sample_csv(), "sample");
    kafka::EmbeddedBroker broker;
    broker.create_topic("ours", 4);
    broker.create_topic("raw", 4);
    const kafka::ProducerOptions options{.brokers = broker.bootstraps(), .compression = compression, .extra = {}};
    std::atomic<bool> stop{false};

    auto payloads = bench::encoded_events(catalog, count);
    double raw_seconds = 0;
    {
        kafka::Producer producer(options);
        auto start = std::chrono::steady_clock::now();
        for (const auto& [key, payload] : payloads) producer.send("raw", key, payload);
        producer.flush(600000);
        raw_seconds = seconds_since(start);
        if (producer.delivered() != count) return 1;
    }
    payloads.clear();

    double our_seconds = 0;
    {
        kafka::Producer producer(options);
        auto generator = bench::generator(catalog);
        auto result = loadgen::run_load(producer, generator,
                                        {.topic = "ours", .count = count, .rate = 0, .echo = false, .progress = false},
                                        stop);
        our_seconds = result.seconds;
    }
    const double ours = static_cast<double>(count) / our_seconds;
    const double raw = static_cast<double>(count) / raw_seconds;
    fmt::print("produce ({}, {} events): {:.0f} events/s; baseline librdkafka_raw: {:.0f} events/s; "
               "ratio {:.2f}\n", compression, count, ours, raw, ours / raw);
    return 0;
}
