#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "kafka/consumer_stats.hpp"
#include "pipeline/readiness.hpp"
#include "pipeline/stream_metrics.hpp"
#include "test_support.hpp"

namespace playstream::pipeline {
namespace {

using namespace std::chrono_literals;
using Clock = JobStatus::Clock;

JobStatus running_status(Clock::time_point now) {
    JobStatus s;
    s.running = true;
    s.topic = "listens";
    s.in_group = true;
    s.partitions_assigned = 2;
    s.published = now - 100ms;
    return s;
}

TEST(Readiness, ReadyWhenInTheGroupAndTheStoreAnswers) {
    const auto now = Clock::now();
    JobStatus s = running_status(now);
    EXPECT_EQ(unready_reason(s, std::nullopt, now), std::nullopt);
    s.partitions_assigned = 0;  // more members than partitions: waiting by design
    EXPECT_EQ(unready_reason(s, std::nullopt, now), std::nullopt);
    EXPECT_EQ(unready_reason(s, now - 1s, now), std::nullopt);  // a write under way, not for long
}

TEST(Readiness, ReasonsInOneLine) {
    const auto now = Clock::now();
    EXPECT_EQ(unready_reason(JobStatus{}, std::nullopt, now), "starting");
    JobStatus s = running_status(now);
    s.running = false;
    EXPECT_EQ(unready_reason(s, std::nullopt, now), "stopped");

    s = running_status(now);
    s.store_unreachable_since = now - 12s - 300ms;
    EXPECT_EQ(unready_reason(s, std::nullopt, now), "store unreachable for 12 s");

    s = running_status(now);
    EXPECT_EQ(unready_reason(s, now - 7s, now), "store has not answered a write for 7 s");

    s.store_nodes = {{"10.0.0.1:9042", false, 0}, {"10.0.0.2:9042", false, 0}};
    EXPECT_EQ(unready_reason(s, std::nullopt, now), "no store node connected (of 2)");
    s.store_nodes[1].connected = true;
    EXPECT_EQ(unready_reason(s, std::nullopt, now), std::nullopt);

    s.brokers_unreachable_since = now - 3s;
    EXPECT_EQ(unready_reason(s, std::nullopt, now), "Kafka brokers unreachable for 3 s");

    s = running_status(now);
    s.published = now - 20s;
    EXPECT_EQ(unready_reason(s, std::nullopt, now), "stream loop has not reported for 20 s");
    s.published = now - 5100ms;  // its last report came just before a write that is now 4.9 s old
    EXPECT_EQ(unready_reason(s, now - 4900ms, now), std::nullopt);

    s = running_status(now);
    s.in_group = false;
    EXPECT_EQ(unready_reason(s, std::nullopt, now), "joining the consumer group of listens");
}

JobStatus busy_status() {
    JobStatus s = running_status(Clock::now());
    s.counters.consumed = 1003;
    s.counters.stored = 1000;
    s.counters.reject(model::RejectReason::NotJson);
    s.counters.reject(model::RejectReason::UnknownSong);
    s.counters.reject(model::RejectReason::UnknownSong);
    s.counters.batches = 4;
    s.counters.commits = 4;
    for (int ms : {3, 8, 40, 40, 12000}) s.counters.age_at_ack.record(ms);
    for (int ms : {2, 30}) s.counters.age_at_read.record(ms);
    s.counters.store_write_seconds.observe(0.004);
    s.counters.batch_messages.observe(250);
    s.lag = {{0, 17}, {1, 0}};
    s.store_nodes = {{"127.0.0.1:9042", true, 12, 40017, {{"write_timeout", 5}, {"client_timeout", 1}}},
                     {"[::1]:9042", false, 0, 3, {}}};
    return s;
}

TEST(StreamMetrics, FamiliesFromTheStatus) {
    const std::string text = stream_metrics_text(busy_status());
    for (const char* line : {
             "playstream_records_consumed_total 1003\n",
             "playstream_records_stored_total 1000\n",
             "playstream_records_rejected_total{reason=\"not_json\"} 1\n",
             "playstream_records_rejected_total{reason=\"unknown_song\"} 2\n",
             "playstream_records_rejected_total{reason=\"bad_time\"} 0\n",
             "playstream_records_dead_lettered_total 0\n",
             "playstream_records_skipped_total 0\n",
             "playstream_batches_total 4\n",
             "playstream_commits_total 4\n",
             "playstream_commit_failures_total 0\n",
             "playstream_store_retries_total 0\n",
             "playstream_store_write_duration_seconds_bucket{le=\"0.005\"} 1\n",
             "playstream_batch_messages_bucket{le=\"250\"} 1\n",
             "playstream_event_age_at_ack_seconds_bucket{le=\"0.005\"} 1\n",
             "playstream_event_age_at_ack_seconds_bucket{le=\"0.01\"} 2\n",
             "playstream_event_age_at_ack_seconds_bucket{le=\"0.05\"} 4\n",
             "playstream_event_age_at_ack_seconds_bucket{le=\"10\"} 4\n",
             "playstream_event_age_at_ack_seconds_bucket{le=\"+Inf\"} 5\n",
             "playstream_event_age_at_ack_seconds_sum 12.091\n",
             "playstream_event_age_at_ack_seconds_count 5\n",
             "playstream_event_age_at_read_seconds_bucket{le=\"0.005\"} 1\n",
             "playstream_event_age_at_read_seconds_bucket{le=\"0.05\"} 2\n",
             "playstream_event_age_at_read_seconds_count 2\n",
             "playstream_partitions_assigned 2\n",
             "playstream_consumer_lag_messages{topic=\"listens\",partition=\"0\"} 17\n",
             "playstream_consumer_lag_messages{topic=\"listens\",partition=\"1\"} 0\n",
             "playstream_cassandra_node_connected{node=\"127.0.0.1:9042\"} 1\n",
             "playstream_cassandra_node_connected{node=\"[::1]:9042\"} 0\n",
             "playstream_cassandra_node_in_flight_requests{node=\"127.0.0.1:9042\"} 12\n",
             "# TYPE playstream_cassandra_node_requests_total counter\n",
             "playstream_cassandra_node_requests_total{node=\"127.0.0.1:9042\"} 40017\n",
             "playstream_cassandra_node_requests_total{node=\"[::1]:9042\"} 3\n",
             "# TYPE playstream_cassandra_node_failed_attempts_total counter\n",
             "playstream_cassandra_node_failed_attempts_total{node=\"127.0.0.1:9042\",error=\"write_timeout\"} 5\n"
             "playstream_cassandra_node_failed_attempts_total{node=\"127.0.0.1:9042\",error=\"client_timeout\"} 1\n",
             "\nprocess_cpu_seconds_total ",
         }) {
        EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "in:\n" << text;
    }
    // SQLite has no nodes: no Cassandra families at all.
    EXPECT_EQ(stream_metrics_text(running_status(Clock::now())).find("cassandra"), std::string::npos);
}

TEST(StreamMetrics, PromtoolAcceptsEveryFamily) {
    testing::ScratchDir dir;
    const std::string file = dir.file("metrics.txt");
    std::ofstream(file) << stream_metrics_text(busy_status());
    const std::string out = dir.file("promtool.out");
    const int status = std::system(fmt::format("promtool check metrics < {} > {} 2>&1", file, out).c_str());
    std::ifstream report(out);
    std::string findings((std::istreambuf_iterator<char>(report)), std::istreambuf_iterator<char>());
    EXPECT_EQ(status, 0) << findings;
    EXPECT_EQ(findings, "");
}

// An excerpt of librdkafka's statistics, as STATISTICS.md documents them.
constexpr const char* stats_json = R"({
  "name": "rdkafka#consumer-1", "type": "consumer",
  "brokers": {
    "127.0.0.1:9092/bootstrap": {"name": "127.0.0.1:9092/bootstrap", "nodeid": -1, "state": "UP"},
    "GroupCoordinator": {"name": "GroupCoordinator", "nodeid": -1, "state": "UP"},
    "127.0.0.1:9092/1": {"name": "127.0.0.1:9092/1", "nodeid": 1, "state": "UP"},
    "127.0.0.1:9093/2": {"name": "127.0.0.1:9093/2", "nodeid": 2, "state": "DOWN"}
  },
  "topics": {
    "other": {"partitions": {"0": {"partition": 0, "fetch_state": "active", "consumer_lag": 99}}},
    "listens": {"partitions": {
      "0": {"partition": 0, "fetch_state": "active", "consumer_lag": 120},
      "1": {"partition": 1, "fetch_state": "none", "consumer_lag": -1},
      "2": {"partition": 2, "fetch_state": "active", "consumer_lag": -1},
      "3": {"partition": 3, "fetch_state": "active", "consumer_lag": 0},
      "-1": {"partition": -1, "fetch_state": "none", "consumer_lag": -1}
    }}
  }
})";

TEST(ConsumerStats, LagOfFetchedPartitionsAndBrokersUp) {
    auto stats = kafka::parse_consumer_stats(stats_json, "listens");
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->brokers_up, 1);  // node 1; bootstrap and coordinator entries repeat it
    ASSERT_EQ(stats->lag.size(), 2u);  // partition 1 is not ours, 2 has no lag yet, -1 is internal
    EXPECT_EQ(stats->lag[0].partition, 0);
    EXPECT_EQ(stats->lag[0].lag, 120);
    EXPECT_EQ(stats->lag[1].partition, 3);
    EXPECT_EQ(stats->lag[1].lag, 0);
    EXPECT_FALSE(kafka::parse_consumer_stats("{not json", "listens"));
    auto unknown_topic = kafka::parse_consumer_stats(stats_json, "nope");
    ASSERT_TRUE(unknown_topic);
    EXPECT_TRUE(unknown_topic->lag.empty());
}

}  // namespace
}  // namespace playstream::pipeline
