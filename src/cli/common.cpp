#include "cli/common.hpp"

#include <csignal>

#include <fmt/format.h>

#include "kafka/option_syntax.hpp"
#include "util/error.hpp"

namespace playstream::cli {
namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

// The first signal asks for a clean stop; a second one, while that is still under way, ends the
// process the default way (both calls are async-signal-safe).
extern "C" void on_stop_signal(int sig) {
    if (stop_requested.exchange(true)) {
        std::signal(sig, SIG_DFL);
        std::raise(sig);
    }
}

}  // namespace

const std::atomic<bool>& stop_on_signals() {
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    return stop_requested;
}

catalog::Catalog load_catalog(const std::string& path, bool lenient) {
    catalog::LoadReport report;
    catalog::Catalog catalog = catalog::Catalog::from_file(path, {.lenient = lenient}, &report);
    for (const auto& problem : report.problems) fmt::print(stderr, "catalog: skipped {}\n", problem);
    fmt::print(stderr, "catalog: {}: {} songs from {} rows ({} duplicate rows, {} skipped)\n", path,
               catalog.size(), report.rows, report.duplicates, report.skipped);
    return catalog;
}

void add_kafka_settings_option(CLI::App& command, kafka::Settings& settings) {
    command
        .add_option_function<std::vector<std::string>>(
            "-X,--kafka-option",
            [&settings](const std::vector<std::string>& pairs) {
                for (const auto& pair : pairs) settings.push_back(kafka::parse_setting(pair));
            },
            "librdkafka setting KEY=VALUE (repeatable)")
        ->check([](const std::string& pair) {
            try {
                kafka::parse_setting(pair);
                return std::string();
            } catch (const UsageError& e) {
                return std::string(e.what());
            }
        });
}

void add_store_options(CLI::App& command, StoreArgs& store) {
    command.add_option("--store", store.uri, "sqlite:PATH or cassandra://HOST[:PORT][,HOST...]/KEYSPACE")
        ->required();
    command.add_option("--cassandra-user", store.options.cassandra_user, "Cassandra user (PasswordAuthenticator)")
        ->envname("PLAYSTREAM_CASSANDRA_USER");
    command.add_option("--cassandra-password", store.options.cassandra_password, "Cassandra password")
        ->envname("PLAYSTREAM_CASSANDRA_PASSWORD");
}

}  // namespace playstream::cli

#include <cerrno>
#include <cstring>
#include <fstream>

#include "util/error.hpp"

namespace playstream::cli {

void write_output(const std::string& text, const std::string& path) {
    if (path.empty()) {
        fmt::print("{}", text);
        return;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw Error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
}

}  // namespace playstream::cli
