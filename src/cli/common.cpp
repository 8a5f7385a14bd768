#include "cli/common.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cli/choice.hpp"
#include "cli/usage_check.hpp"
#include "kafka/option_syntax.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

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

// The whole file, without the line end an editor adds; an error names the option and the file.
std::string read_secret_file(const std::string& option, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw CLI::ValidationError(option, fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    std::string secret = text.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.empty()) throw CLI::ValidationError(option, fmt::format("{} is empty", path));
    return secret;
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
    for (const auto& problem : report.problems) log::warn("catalog", "skipped " + problem, {{"file", path}});
    log::info("catalog",
              fmt::format("{}: {} songs from {} rows ({} duplicate rows, {} skipped)", path, catalog.size(),
                          report.rows, report.duplicates, report.skipped),
              {{"file", path}, {"songs", catalog.size()}, {"rows", report.rows},
               {"duplicates", report.duplicates}, {"skipped", report.skipped}});
    // Every event would be an unknown song: stream would reject and commit them all.
    if (catalog.size() == 0) throw UsageError(fmt::format("catalogue {} has no songs", path));
    return catalog;
}

std::string check_user_name(const std::string& name) {
    return name.empty() ? "a user name cannot be empty (stream would reject its events)" : std::string();
}

void add_secret_option(CLI::App& command, const std::string& name, std::string& target, const std::string& help) {
    auto* direct = command.add_option("--" + name, target, help + " (prefer the environment, the config file "
                                                                  "or --" + name + "-file: ps shows the command line)");
    const std::string file_option = "--" + name + "-file";
    auto* file = command.add_option_function<std::string>(
        file_option, [&target, file_option](const std::string& path) { target = read_secret_file(file_option, path); },
        "read the " + help + " from this file");
    file->excludes(direct);
}

void add_kafka_settings_option(CLI::App& command, kafka::Settings& settings) {
    // Friendly names for the settings of a secured cluster; each becomes the librdkafka setting
    // in brackets, before any -X (so an explicit -X wins).
    const auto setting = [&](const std::string& name, const char* key, const std::string& help) {
        return command.add_option_function<std::string>(
            "--" + name, [&settings, key](const std::string& value) { settings.emplace_back(key, value); },
            fmt::format("{} ({})", help, key));
    };
    setting("kafka-security-protocol", "security.protocol", "plaintext, ssl, sasl_plaintext or sasl_ssl")
        ->check(CLI::IsMember({"plaintext", "ssl", "sasl_plaintext", "sasl_ssl"}, CLI::ignore_case));
    setting("kafka-sasl-mechanism", "sasl.mechanism", "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 ...");
    setting("kafka-sasl-username", "sasl.username", "SASL user");
    auto* password = setting("kafka-sasl-password", "sasl.password", "SASL password (prefer the environment, "
                                                                     "the config file or --kafka-sasl-password-file)");
    command
        .add_option_function<std::string>(
            "--kafka-sasl-password-file",
            [&settings](const std::string& path) {
                settings.emplace_back("sasl.password", read_secret_file("--kafka-sasl-password-file", path));
            },
            "read the SASL password from this file (sasl.password)")
        ->excludes(password);
    setting("kafka-ssl-ca", "ssl.ca.location", "CA certificate file that signed the brokers' certificates");
    command
        .add_option_function<std::vector<std::string>>(
            "-X,--kafka-option",
            [&settings](const std::vector<std::string>& pairs) {
                for (const auto& pair : pairs) settings.push_back(kafka::parse_setting(pair));
            },
            "librdkafka setting KEY=VALUE (repeatable)")
        ->check(usage_check([](const std::string& pair) { kafka::parse_setting(pair); }));
}

void add_store_options(CLI::App& command, StoreArgs& store) {
    command.add_option("--store", store.uri, "sqlite:PATH or cassandra://HOST[:PORT][,HOST...]/KEYSPACE")
        ->required();
    add_cassandra_options(command, store.options);
}

void add_cassandra_options(CLI::App& command, store::StoreOptions& o) {
    command.add_option("--cassandra-user", o.cassandra_user, "Cassandra user (PasswordAuthenticator)");
    add_secret_option(command, "cassandra-password", o.cassandra_password, "Cassandra password");
    auto* tls = command.add_flag("--cassandra-tls", o.cassandra_tls, "connect to Cassandra with TLS");
    command.add_option("--cassandra-ca", o.cassandra_ca, "CA certificate(s) (PEM) that signed the nodes' certificates; "
                                                         "default: the system's CAs")
        ->check(CLI::ExistingFile)->needs(tls);
    auto* cert = command.add_option("--cassandra-cert", o.cassandra_cert,
                                    "client certificate (PEM) for mutual TLS, with --cassandra-key")
                     ->check(CLI::ExistingFile)->needs(tls);
    auto* key = command.add_option("--cassandra-key", o.cassandra_key, "private key (PEM, unencrypted) of --cassandra-cert")
                    ->check(CLI::ExistingFile)->needs(tls);
    cert->needs(key);
    key->needs(cert);
    command.add_flag("--cassandra-tls-no-verify-hostname", o.cassandra_tls_no_verify_hostname,
                     "UNSAFE: accept a node certificate that is not issued for the node's address "
                     "(any certificate of the CA then passes for any node)")
        ->needs(tls);
    add_choice(command, "--cassandra-compression", o.cassandra_compression,
               {{"lz4", cql::Compression::Lz4}, {"none", cql::Compression::None}},
               "frame compression with Cassandra: none, or lz4 (when the node offers it; worth it on slow or metered links)");
    command.add_option("--cassandra-local-dc", o.cassandra_local_dc,
                       "Cassandra datacenter whose nodes take the requests (what LOCAL_QUORUM is local to); "
                       "default: the first contact point's");
}

void add_write_consistency_option(CLI::App& command, store::StoreOptions& options) {
    Choices<cql::Consistency> levels;
    for (std::uint16_t c = 0; c <= cql::max_consistency; ++c) {
        const auto level = static_cast<cql::Consistency>(c);
        levels.emplace_back(std::string(cql::to_string(level)), level);
    }
    add_choice(command, "--write-consistency", options.write_consistency, std::move(levels),
               "Cassandra consistency level of the writes", true);
}

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
