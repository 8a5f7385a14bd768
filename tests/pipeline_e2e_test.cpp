// The whole data path in one process, through a real Kafka-protocol broker (librdkafka's mock
// cluster): produce known events plus malformed ones, stream them into SQLite, check every row
// and every query answer against values computed here from the events and the catalogue.
#include <gtest/gtest.h>

#include <map>

#include "events/event_codec.hpp"
#include "events/timestamp.hpp"
#include "kafka/embedded_broker.hpp"
#include "kafka/kafka_source.hpp"
#include "kafka/producer.hpp"
#include "loadgen/event_generator.hpp"
#include "loadgen/user_names.hpp"
#include "pipeline/stream_job.hpp"
#include "store/columns.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/json_string.hpp"

namespace playstream {
namespace {

using model::RejectReason;

struct Expected {
    std::multiset<std::string> songs;
    std::vector<const model::Song*> listened;
};
using HourMap = std::map<std::tuple<std::string, std::string, int>, Expected>;

class RecordingRejects final : public pipeline::RejectSink {
public:
    std::vector<std::pair<std::int64_t, RejectReason>> seen;  // offset, reason
    std::vector<std::string> where;
    void reject(const pipeline::MessageOrigin& o, const events::DecodeError& e, std::string_view) override {
        seen.emplace_back(o.offset, e.reason);
        where.push_back(fmt::format("{}/{}@{}", o.topic, o.partition, o.offset));
    }
};

kafka::ConsumerOptions consumer_for(const std::string& brokers) {
    // The embedded broker makes a group's next member wait one session timeout: keep it short.
    return {.brokers = brokers, .group = "test-group", .topic = "listens", .from = kafka::StartFrom::Earliest,
            .extra = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "1000"}}};
}

pipeline::StreamOptions options_for(std::size_t max_messages) {
    pipeline::StreamOptions o;
    o.batch_size = 700;  // several batches, one not full
    o.flush_interval = std::chrono::milliseconds(100);
    o.max_messages = max_messages;
    o.exit_when_idle = std::chrono::seconds(20);  // a failing test ends instead of hanging
    o.report_interval = std::chrono::milliseconds(0);
    o.quiet = true;
    return o;
}

TEST(PipelineEndToEnd, EveryGoodEventStoredOnceAndEveryBadOneCounted) {
    testing::ScratchDir dir;
    catalog::Catalog catalog = catalog::Catalog::from_text(catalog::bundled_sample_csv(), "sample");
    kafka::EmbeddedBroker broker;
    broker.create_topic("listens", 3);
    kafka::Producer producer({.brokers = broker.bootstraps(), .compression = "gzip", .extra = {}});

    // 3,000 events of ours over 3 hours across midnight, 200 classroom messages, 7 bad ones.
    loadgen::EventGenerator generator(catalog, loadgen::generate_user_names(6, 1), 1, 77);
    HourMap expected;
    std::set<std::int64_t> good_ids;
    std::string payload;
    const std::int64_t start = 1709503200000;  // 2024-03-03 22:00:00 UTC
    auto expect = [&](const model::ListenEvent& e, const model::Song* song) {
        std::string date;
        std::int32_t hour = 0;
        events::derive_date_hour(e.time_ms, date, hour);
        auto& hour_entry = expected[{e.name, date, hour}];
        hour_entry.songs.insert(song->name);
        hour_entry.listened.push_back(song);
        good_ids.insert(e.id);
    };
    model::ListenEvent event;
    for (int i = 0; i < 3000; ++i) {
        generator.next(event, start + i * 3600);  // 3 hours in 3,000 steps
        events::encode_event(event, payload);
        producer.send("listens", event.name, payload);
        expect(event, catalog.find(*event.song_id));
    }
    // Classroom messages: 12-hour "hh" as written, minute resolution, join on the name.
    for (int i = 0; i < 200; ++i) {
        const model::Song& song = catalog.songs()[static_cast<std::size_t>(i) % catalog.size()];
        model::ListenEvent classroom{.id = 100000 + i, .name = "Classroom Kid", .song = song.name,
                                     .song_id = std::nullopt, .time_ms = 0};
        std::string time = fmt::format("2024-03-04 0{}:{:02}", i % 3, i % 60);
        ASSERT_TRUE(events::parse_timestamp(time, classroom.time_ms));
        std::string song_json;
        append_json_string(song_json, song.name);
        producer.send("listens", classroom.name,
                      fmt::format(R"({{"id": {}, "name": "Classroom Kid", "song": {}, "time": "{}"}})",
                                  classroom.id, song_json, time));
        expect(classroom, catalog.find_by_name(song.name));
    }
    const std::vector<std::pair<std::string, RejectReason>> bad{
        {"not json at all", RejectReason::NotJson},
        {R"({"id": 1, "name": "X", "song": "Afterglow"})", RejectReason::MissingField},
        {R"({"id": "1", "name": "X", "song": "Afterglow", "time": "2024-03-03 10:00"})", RejectReason::WrongType},
        {R"({"id": -5, "name": "X", "song": "Afterglow", "time": "2024-03-03 10:00"})", RejectReason::WrongType},
        {R"({"id": 1, "name": "X", "song": "Afterglow", "time": "2024-13-03 10:00"})", RejectReason::BadTime},
        {R"({"id": 1, "name": "X", "song": "Afterglow", "time": "2023-02-29 10:00"})", RejectReason::BadTime},
        {R"({"id": 1, "name": "X", "song": "Not In The Catalogue", "time": "2024-03-03 10:00"})", RejectReason::UnknownSong},
    };
    for (const auto& [text, reason] : bad) producer.send("listens", "X", text);
    ASSERT_TRUE(producer.flush(30000));
    ASSERT_EQ(producer.failed(), 0u);
    const std::size_t total = 3000 + 200 + bad.size();

    store::SqliteStore store(dir.file("e2e.db"));
    store.ensure_schema();
    RecordingRejects rejects;
    std::atomic<bool> stop{false};
    kafka::KafkaSource source(consumer_for(broker.bootstraps()));
    pipeline::StreamJob job(options_for(total), catalog, store, source, rejects);
    pipeline::Counters counters = job.run(stop);

    EXPECT_EQ(counters.consumed, total);
    EXPECT_EQ(counters.stored, good_ids.size());
    EXPECT_EQ(counters.rejected_total(), bad.size());
    std::array<std::uint64_t, model::reject_reason_count> by_reason{};
    for (const auto& [text, reason] : bad) ++by_reason[static_cast<std::size_t>(reason)];
    EXPECT_EQ(counters.rejected, by_reason);
    for (const auto& w : rejects.where) EXPECT_TRUE(w.starts_with("listens/")) << w;

    // Every good event is a row, once.
    EXPECT_EQ(store.count_rows(), static_cast<std::int64_t>(good_ids.size()));
    model::Table all = store.sample(100000);
    std::set<std::int64_t> stored_ids;
    for (const auto& row : all.rows) stored_ids.insert(std::get<std::int64_t>(row[4]));
    EXPECT_EQ(stored_ids, good_ids);

    // Each user-hour: the songs, and the averages computed here from the catalogue's features.
    for (const auto& [key, want] : expected) {
        store::HourKey hk{std::get<0>(key), std::get<1>(key), std::get<2>(key)};
        model::Table songs = store.songs(hk);
        std::multiset<std::string> got;
        for (const auto& row : songs.rows) got.insert(std::get<std::string>(row[0]));
        EXPECT_EQ(got, want.songs) << hk.name << " " << hk.date << " " << hk.hour;

        model::Table stats = store.stats(hk);
        ASSERT_EQ(stats.rows.size(), 1u);
        EXPECT_EQ(std::get<std::int64_t>(stats.rows[0][3]), static_cast<std::int64_t>(want.listened.size()));
        for (std::size_t f = 0; f < store::feature_columns.size(); ++f) {
            double sum = 0;
            for (const model::Song* s : want.listened) sum += store::feature_values(*s)[f];
            double mean = sum / static_cast<double>(want.listened.size());
            EXPECT_NEAR(std::get<double>(stats.rows[0][4 + f]), mean, 1e-9 * std::max(1.0, std::abs(mean)))
                << store::feature_columns[f] << " for " << hk.name << " " << hk.date << " " << hk.hour;
        }
    }
    // Hours derived in UTC on a 24-hour clock, across midnight.
    EXPECT_TRUE(expected.count({"Classroom Kid", "2024-03-04", 2}));
    bool saw_hour_23 = false;
    for (const auto& [key, want] : expected) saw_hour_23 |= std::get<2>(key) == 23;
    EXPECT_TRUE(saw_hour_23);

    // Offsets were committed, rejected messages' included: the group has nothing left to read.
    auto again = options_for(0);
    again.exit_when_idle = std::chrono::seconds(2);
    kafka::KafkaSource source2(consumer_for(broker.bootstraps()));
    pipeline::StreamJob second(again, catalog, store, source2, rejects);
    EXPECT_EQ(second.run(stop).consumed, 0u);
}

}  // namespace
}  // namespace playstream

namespace playstream {
namespace {

// A store that refuses every write, as a full disk would.
class RefusingStore final : public store::Store {
public:
    void ensure_schema() override {}
    void write(std::span<const model::EnrichedRow>) override { throw Error("disk full"); }
    model::Table sample(std::size_t) override { return {}; }
    model::Table songs(const store::HourKey&) override { return {}; }
    model::Table stats(const store::HourKey&) override { return {}; }
    std::int64_t count_rows() override { return 0; }
};

TEST(PipelineEndToEnd, AStoreFailureStopsTheJobAndCommitsNothing) {
    testing::ScratchDir dir;
    catalog::Catalog catalog = catalog::Catalog::from_text(catalog::bundled_sample_csv(), "sample");
    kafka::EmbeddedBroker broker;
    broker.create_topic("listens", 2);
    kafka::Producer producer({.brokers = broker.bootstraps(), .compression = "lz4", .extra = {}});
    loadgen::EventGenerator generator(catalog, {"Ada", "Bo"}, 3, 9);
    model::ListenEvent event;
    std::string payload;
    for (int i = 0; i < 50; ++i) {
        generator.next(event, 1709503200000 + i);
        events::encode_event(event, payload);
        producer.send("listens", event.name, payload);
    }
    ASSERT_TRUE(producer.flush(30000));

    RecordingRejects rejects;
    std::atomic<bool> stop{false};
    RefusingStore refusing;
    kafka::KafkaSource source(consumer_for(broker.bootstraps()));
    pipeline::StreamJob failing(options_for(50), catalog, refusing, source, rejects);
    EXPECT_THROW(failing.run(stop), Error);

    // Nothing was committed: the next member of the group reads all 50 and stores them.
    store::SqliteStore store(dir.file("after.db"));
    store.ensure_schema();
    kafka::KafkaSource source2(consumer_for(broker.bootstraps()));
    pipeline::StreamJob next(options_for(50), catalog, store, source2, rejects);
    EXPECT_EQ(next.run(stop).stored, 50u);
    EXPECT_EQ(store.count_rows(), 50);
}

}  // namespace
}  // namespace playstream

namespace playstream {
namespace {

// A NULL value (a tombstone, as a compacted topic's producer sends to delete a key) and an empty
// value between good messages: each is a counted reject of its own reason, the stream goes on
// and stores the neighbours, and every offset is committed.
TEST(PipelineEndToEnd, TombstoneAndEmptyValuesAreRejectedAndTheirNeighboursStored) {
    testing::ScratchDir dir;
    catalog::Catalog catalog = catalog::Catalog::from_text(catalog::bundled_sample_csv(), "sample");
    kafka::EmbeddedBroker broker;
    broker.create_topic("listens", 1);  // one partition: the bad messages sit between good ones
    kafka::Producer producer({.brokers = broker.bootstraps(), .compression = "none", .extra = {}});
    loadgen::EventGenerator generator(catalog, {"Ada"}, 3, 5);
    model::ListenEvent event;
    std::string payload;
    std::set<std::int64_t> good_ids;
    auto send_good = [&](int i) {
        generator.next(event, 1709503200000 + i);
        events::encode_event(event, payload);
        producer.send("listens", event.name, payload);
        good_ids.insert(event.id);
    };
    for (int i = 0; i < 5; ++i) send_good(i);
    producer.send("listens", "Ada", std::string_view());        // NULL value: data() is null
    send_good(5);
    producer.send("listens", "Ada", std::string_view("", 0));  // empty, not NULL
    for (int i = 6; i < 10; ++i) send_good(i);
    ASSERT_TRUE(producer.flush(30000));
    ASSERT_EQ(producer.failed(), 0u);

    store::SqliteStore store(dir.file("tombstone.db"));
    store.ensure_schema();
    RecordingRejects rejects;
    std::atomic<bool> stop{false};
    kafka::KafkaSource source(consumer_for(broker.bootstraps()));
    pipeline::StreamJob job(options_for(12), catalog, store, source, rejects);
    const pipeline::Counters counters = job.run(stop);

    EXPECT_EQ(counters.consumed, 12u);
    EXPECT_EQ(counters.stored, 10u);
    const std::vector<std::pair<std::int64_t, RejectReason>> want{{5, RejectReason::NullValue},
                                                                  {7, RejectReason::Empty}};
    EXPECT_EQ(rejects.seen, want);
    std::set<std::int64_t> stored_ids;
    for (const auto& row : store.sample(100).rows) stored_ids.insert(std::get<std::int64_t>(row[4]));
    EXPECT_EQ(stored_ids, good_ids);

    // Committed, the rejects' offsets included: a restart does not meet them again.
    auto again = options_for(0);
    again.exit_when_idle = std::chrono::seconds(2);
    kafka::KafkaSource source2(consumer_for(broker.bootstraps()));
    pipeline::StreamJob second(again, catalog, store, source2, rejects);
    EXPECT_EQ(second.run(stop).consumed, 0u);
}

}  // namespace
}  // namespace playstream
