#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/choice.hpp"
#include "cli/common.hpp"
#include "cli/http_option.hpp"
#include "cli/ranged.hpp"
#include "kafka/dead_letter_producer.hpp"
#include "kafka/kafka_source.hpp"
#include "metrics/endpoint.hpp"
#include "pipeline/readiness.hpp"
#include "pipeline/stream_job.hpp"
#include "pipeline/stream_metrics.hpp"
#include "store/store.hpp"
#include "store/table_check.hpp"

namespace playstream::cli {
namespace {

struct StreamArgs {
    pipeline::StreamOptions job;
    kafka::ConsumerOptions consumer;
    std::string dead_letter_topic;
    std::string catalog;
    StoreArgs store;
    bool lenient = false;
    std::string http;
};

int run_stream(StreamArgs& args) {
    const auto& stop = stop_on_signals();
    // Up before the catalogue and the store, so that a probe sees "starting" rather than nothing.
    pipeline::StatusBoard board;
    std::unique_ptr<http::Server> probes;
    if (!args.http.empty()) {
        args.job.status = &board;
        args.consumer.statistics = true;  // consumer lag per partition
        probes = metrics::serve_probes(
            http::parse_address(args.http, "--http"),
            {.metrics = [&board] { return pipeline::stream_metrics_text(board.snapshot()); },
             .unready = [&board] {
                 return pipeline::unready_reason(board.snapshot(), board.write_in_progress_since(),
                                                 pipeline::JobStatus::Clock::now());
             }},
            "stream");
    }
    catalog::Catalog catalog = load_catalog(args.catalog, args.lenient);
    std::unique_ptr<store::Store> store = store::open_store(args.store.uri, args.store.options);
    store::check_table(*store, "stream");
    store->ensure_schema();
    std::unique_ptr<kafka::DeadLetterProducer> dead_letters;
    if (!args.dead_letter_topic.empty()) {
        dead_letters = std::make_unique<kafka::DeadLetterProducer>(
            kafka::ProducerOptions{.brokers = args.consumer.brokers, .compression = "lz4",
                                   .extra = kafka::shared_client_settings(args.consumer.extra)},
            args.dead_letter_topic);
    }
    args.consumer.batch_size = args.job.batch_size;  // the fetches are bounded from it
    kafka::KafkaSource source(args.consumer);
    pipeline::LogRejectSink rejects;
    pipeline::StreamJob job(args.job, catalog, *store, source, rejects, dead_letters.get());
    job.run(stop);
    return 0;
}

}  // namespace

Command add_stream(CLI::App& app) {
    auto args = std::make_shared<StreamArgs>();
    auto& job = args->job;
    auto& consumer = args->consumer;
    auto* c = app.add_subcommand(
        "stream", "Consume listen events in a consumer group, enrich them, write them to a store");
    c->add_option("--brokers", consumer.brokers, "Kafka bootstrap servers, HOST:PORT[,...]")->required();
    c->add_option("--topic", consumer.topic, "topic to read")->required();
    c->add_option("--group", consumer.group, "consumer group")->capture_default_str();
    c->add_option("--catalog", args->catalog, "song catalogue CSV to join with")->required();
    add_store_options(*c, args->store);
    add_write_consistency_option(*c, args->store.options);
    add_duration(*c, "--flush-interval", job.flush_interval, Unit::Milliseconds,
                 {.min = 1, .max = 3600000, .zero_means = "no timer", .unit = "milliseconds"},
                 "longest a row may wait before its batch is written, in ms (0: no timer: a batch "
                 "is written as soon as the store has room)");
    add_duration(*c, "--linger", job.linger, Unit::Milliseconds,
                 {.min = 1, .max = 3600000, .zero_means = "written as soon as the store has room", .unit = "milliseconds"},
                 "how long a batch that is not full waits for more rows though the store has room, in ms: "
                 "fewer, larger writes for that much more latency (0: none)");
    add_integer(*c, "--batch-size", job.batch_size, 1, 1000000, "messages per store write at most")
        ->capture_default_str();
    add_duration(*c, "--commit-interval", job.commit_interval, Unit::Milliseconds,
                 {.min = 1, .max = 3600000, .zero_means = "after every batch", .unit = "milliseconds"},
                 "commit acknowledged offsets at most this often, in ms (always before partitions go "
                 "and at the end; 0: after every batch)")
        ->capture_default_str();
    add_choice(*c, "--from", consumer.from,
               {{"earliest", kafka::StartFrom::Earliest}, {"latest", kafka::StartFrom::Latest}},
               "where a group with no committed offset starts");
    add_duration(*c, "--exit-when-idle", job.exit_when_idle, Unit::Seconds,
                 {.min = 0.1, .max = 31536000, .zero_means = "never", .unit = "seconds"},
                 "stop after this many seconds without a message (0: never)");
    add_integer(*c, "--max-messages", job.max_messages, std::int64_t{0}, INT64_MAX, "stop after this many messages (0: no limit)")
        ->capture_default_str();
    add_duration(*c, "--report-interval", job.report_interval, Unit::Seconds,
                 {.min = 0.1, .max = 86400, .zero_means = "none", .unit = "seconds"},
                 "seconds between progress lines (0: none)");
    c->add_flag("--lenient", args->lenient, "skip and count bad catalogue rows instead of failing");
    c->add_option("--dead-letter-topic", args->dead_letter_topic,
                  "topic for rejected messages (original key and value, playstream.* headers)");
    add_choice(*c, "--on-data-loss", job.on_data_loss,
               {{"continue", pipeline::DataLossPolicy::KeepGoing}, {"fail", pipeline::DataLossPolicy::Fail}},
               "when the broker deleted messages before they were read: log and count, or exit 1");
    add_kafka_settings_option(*c, consumer.extra);
    add_http_option(*c, args->http);
    return {c, [args] { return run_stream(*args); }};
}

}  // namespace playstream::cli
