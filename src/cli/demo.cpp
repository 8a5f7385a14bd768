#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/http_option.hpp"
#include "cli/ranged.hpp"
#include "cli/serve.hpp"
#include "kafka/embedded_broker.hpp"
#include "kafka/kafka_source.hpp"
#include "kafka/producer.hpp"
#include "loadgen/load_run.hpp"
#include "loadgen/user_names.hpp"
#include "events/timestamp.hpp"
#include "pipeline/stream_job.hpp"
#include "query/format.hpp"
#include "store/store.hpp"

namespace playstream::cli {
namespace {

struct DemoArgs {
    std::uint64_t events = 2000;
    std::string catalog;
    std::string user = "Alex Rivera";
    std::string out = "output";
    bool serve = false;
    std::string http = "127.0.0.1:8080";
};

void show(const std::string& title, const model::Table& table, const std::string& path) {
    fmt::print("\n== {}\n{}", title, query::render(table, query::Format::Table));
    write_output(query::render(table, query::Format::Csv), path);
}

int run_demo(const DemoArgs& args) {
    const auto& stop = stop_on_signals();
    const std::string topic = "listens";
    catalog::Catalog catalog =
        args.catalog.empty() ? catalog::Catalog::from_text(catalog::bundled_sample_csv(), "<bundled sample>")
                             : load_catalog(args.catalog, false);

    kafka::EmbeddedBroker broker;
    broker.create_topic(topic, 3);
    fmt::print("demo: embedded Kafka broker at {}, topic {} with 3 partitions\n", broker.bootstraps(), topic);

    // produce: four generated listeners and the fixed one the queries look at.
    std::vector<std::string> users = loadgen::generate_user_names(4, 2024);
    users.push_back(args.user);
    loadgen::EventGenerator generator(catalog, users, 2024, 1);
    kafka::Producer producer({.brokers = broker.bootstraps(), .compression = "gzip", .extra = {}});
    std::int64_t last_time = 0;
    auto sent = loadgen::run_load(producer, generator,
                                  {.topic = topic, .count = args.events, .rate = 0, .echo = false, .progress = true},
                                  stop, [&](const model::ListenEvent& e) {
                                      if (e.name == args.user) last_time = e.time_ms;
                                  });
    fmt::print("demo: produced {} events (gzip-compressed JSON, keyed by user)\n", sent.sent);

    // stream: a consumer group into a fresh SQLite file.
    std::filesystem::create_directories(args.out);
    const std::string db = (std::filesystem::path(args.out) / "playstream.db").string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    std::unique_ptr<store::Store> opened = store::open_store("sqlite:" + db);
    store::Store& store = *opened;
    store.ensure_schema();
    pipeline::LogRejectSink rejects;
    pipeline::StreamOptions options;
    kafka::KafkaSource source({.brokers = broker.bootstraps(), .group = "playstream-demo",
                               .topic = topic, .from = kafka::StartFrom::Earliest, .extra = {}});
    options.max_messages = sent.sent;
    options.exit_when_idle = std::chrono::seconds(10);  // never hang if something went wrong
    pipeline::StreamJob job(options, catalog, store, source, rejects);
    pipeline::Counters counters = job.run(stop);

    // query: the classroom's three queries for the fixed user's latest hour.
    store::HourKey key{.name = args.user, .date = {}, .hour = 0};
    events::derive_date_hour(last_time, key.date, key.hour);
    const auto out = std::filesystem::path(args.out);
    show("sample: SELECT * FROM spotify.listening_history LIMIT 50", store.sample(50),
         (out / "sample.csv").string());
    show(fmt::format("songs of {} on {} at hour {}", key.name, key.date, key.hour), store.songs(key),
         (out / "songs.csv").string());
    show(fmt::format("average audio features of {} on {} at hour {}", key.name, key.date, key.hour),
         store.stats(key), (out / "stats.csv").string());

    std::int64_t rows = store.count_rows();
    bool complete = rows == static_cast<std::int64_t>(sent.sent) && counters.rejected_total() == 0;
    fmt::print("\ndemo: {} events produced, {} stored, {} rows in {}; results in {}/ - {}\n", sent.sent,
               counters.stored, rows, db, args.out, complete ? "every event stored" : "EVENTS MISSING");
    if (args.serve && !stop) {  // the page over the demo's table, until Ctrl-C
        store::StoreOptions read_only;
        read_only.create_if_missing = false;
        serve_until_stopped(store::open_store("sqlite:" + db, read_only), http::parse_address(args.http, "--http"),
                            {}, "demo");
    }
    return complete ? 0 : 1;
}

}  // namespace

Command add_demo(CLI::App& app) {
    auto args = std::make_shared<DemoArgs>();
    auto* c = app.add_subcommand(
        "demo", "The whole pipeline on embedded defaults: broker, produce, stream into SQLite, query");
    add_integer(*c, "--events", args->events, 1, 10000000, "events to produce")->capture_default_str();
    c->add_option("--catalog", args->catalog, "song catalogue CSV (default: the bundled sample)");
    c->add_option("--user", args->user, "the listener whose hour is queried")->check(check_user_name)
        ->capture_default_str();
    c->add_option("--out", args->out, "directory for the SQLite file and the query results")->capture_default_str();
    c->add_flag("--serve", args->serve, "then serve the web page over the demo's table until Ctrl-C (see serve)");
    add_http_option(*c, args->http, "with --serve, serve the page")->capture_default_str();
    return {c, [args] { return run_demo(*args); }};
}

}  // namespace playstream::cli
