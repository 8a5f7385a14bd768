// run_load's pacing against librdkafka's mock cluster. Events due within a millisecond go out
// together; what this checks is the bound on that: none is sent more than a millisecond ahead of
// its schedule (a 5 ms tick fails it), and all are delivered.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <vector>

#include "catalog/catalog.hpp"
#include "kafka/embedded_broker.hpp"
#include "kafka/producer.hpp"
#include "loadgen/event_generator.hpp"
#include "loadgen/load_run.hpp"
#include "loadgen/user_names.hpp"

namespace playstream {
namespace {

using Clock = std::chrono::steady_clock;

TEST(LoadRun, PacedEventsAreNeverMoreThanATickAheadOfTheirSchedule) {
    catalog::Catalog catalog = catalog::Catalog::from_text(catalog::bundled_sample_csv(), "sample");
    kafka::EmbeddedBroker broker;
    broker.create_topic("listens", 2);
    kafka::Producer producer({.brokers = broker.bootstraps(), .compression = "gzip", .extra = {}});
    loadgen::EventGenerator generator(catalog, loadgen::generate_user_names(10, 1), 1, 1);
    loadgen::LoadStatus status;
    const loadgen::LoadOptions options{
        .topic = "listens", .count = 2000, .rate = 20000, .echo = false, .progress = false, .status = &status};
    std::vector<double> sent_at;  // seconds after the start, per event
    std::atomic<bool> stop{false};
    const auto start = Clock::now();
    auto result = loadgen::run_load(producer, generator, options, stop, [&](const model::ListenEvent&) {
        sent_at.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    });

    EXPECT_EQ(result.sent, 2000u);
    EXPECT_EQ(producer.delivered(), 2000u);
    EXPECT_EQ(status.sent.load(), 2000u);
    ASSERT_EQ(sent_at.size(), 2000u);
    // Event i is due at i / rate; a burst may send it up to one tick (1 ms) early, never more.
    for (std::size_t i = 0; i < sent_at.size(); ++i) {
        ASSERT_GE(sent_at[i], static_cast<double>(i) / 20000 - 0.001) << "event " << i;
    }
    EXPECT_GE(result.seconds, 1999.0 / 20000 - 0.001);
}

}  // namespace
}  // namespace playstream
