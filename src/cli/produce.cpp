#include <memory>
#include <optional>
#include <random>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/http_option.hpp"
#include "cli/ranged.hpp"
#include "kafka/producer.hpp"
#include "kafka/topic_admin.hpp"
#include "loadgen/load_metrics.hpp"
#include "loadgen/load_run.hpp"
#include "metrics/endpoint.hpp"
#include "loadgen/user_names.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace playstream::cli {
namespace {

struct ProduceArgs {
    kafka::ProducerOptions producer;
    loadgen::LoadOptions load;
    std::string catalog;
    bool lenient = false;
    std::size_t users = 10;
    std::vector<std::string> named_users;
    std::optional<std::uint64_t> seed;
    int partitions = 0;
    std::string http;
};

int run_produce(ProduceArgs& args) {
    const auto& stop = stop_on_signals();
    catalog::Catalog catalog = load_catalog(args.catalog, args.lenient);
    std::random_device entropy;
    std::uint64_t seed = args.seed ? *args.seed : (std::uint64_t{entropy()} << 32) | entropy();
    std::vector<std::string> users = loadgen::generate_user_names(args.users, seed);
    users.insert(users.end(), args.named_users.begin(), args.named_users.end());
    // The run number keeps ids of different runs apart; with --seed the whole run repeats.
    auto run = static_cast<std::uint32_t>((seed * 0xbf58476d1ce4e5b9ULL) >> 33);
    loadgen::EventGenerator generator(catalog, std::move(users), seed, run);

    kafka::Producer producer(args.producer);
    loadgen::LoadStatus status;
    std::unique_ptr<http::Server> probes;
    if (!args.http.empty()) {
        args.load.status = &status;
        probes = metrics::serve_probes(
            http::parse_address(args.http, "--http"),
            {.metrics = [&] { return loadgen::load_metrics_text(producer, status, args.load.rate); },
             .unready = [] { return std::optional<std::string>(); }},  // ready while it sends
            "produce");
    }
    if (args.partitions > 0) kafka::ensure_topic(producer.handle(), args.load.topic, args.partitions);
    loadgen::LoadResult result = loadgen::run_load(producer, generator, args.load, stop);
    const double rate = static_cast<double>(result.sent) / result.seconds;
    log::info("produce",
              fmt::format("{} events delivered to {} in {:.2f}s ({:.0f}/s)", result.sent, args.load.topic,
                          result.seconds, rate),
              {{"sent", result.sent}, {"topic", args.load.topic}, {"seconds", result.seconds}, {"rate", rate}});
    return 0;
}

}  // namespace

Command add_produce(CLI::App& app) {
    auto args = std::make_shared<ProduceArgs>();
    auto* c = app.add_subcommand("produce", "Generate listen events as compressed JSON to a Kafka topic");
    c->add_option("--brokers", args->producer.brokers, "Kafka bootstrap servers, HOST:PORT[,...]")->required();
    c->add_option("--topic", args->load.topic, "topic to write")->required();
    c->add_option("--catalog", args->catalog, "song catalogue CSV to pick songs from")->required();
    // Event ids are run << 32 | sequence: a run has 2^32 of them.
    add_integer(*c, "--count", args->load.count, 0ULL, 1ULL << 32, "events to send (0: until stopped)")
        ->capture_default_str();
    add_number(*c, "--rate", args->load.rate,
               {.min = 0.001, .max = 1e7, .zero_means = "as fast as possible", .unit = "events per second"},
               "events per second (0: as fast as possible)");
    add_integer(*c, "--users", args->users, 0, 1000000, "generated user names")->capture_default_str();
    c->add_option("--user", args->named_users, "a user name to include (repeatable)")->check(check_user_name);
    add_integer(*c, "--seed", args->seed, 0ULL, ~0ULL,
                "random seed: the same seed gives the same users, songs and ids");
    add_integer(*c, "--partitions", args->partitions, 1, 100000,
                "create the topic with this many partitions if missing");
    c->add_option("--compression", args->producer.compression, "gzip|lz4|zstd|snappy|none")
        ->check(CLI::IsMember({"gzip", "lz4", "zstd", "snappy", "none"}))->capture_default_str();
    c->add_flag("--echo", args->load.echo, "print each event as a JSON line on stdout");
    c->add_flag("--lenient", args->lenient, "skip and count bad catalogue rows instead of failing");
    add_kafka_settings_option(*c, args->producer.extra);
    add_http_option(*c, args->http);
    return {c, [args] {
        if (args->users == 0 && args->named_users.empty()) {
            throw UsageError("produce: no users: give --users N or --user NAME");
        }
        return run_produce(*args);
    }};
}

}  // namespace playstream::cli
