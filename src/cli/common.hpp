#pragma once

#include <atomic>
#include <string>

#include <CLI/CLI.hpp>

#include "catalog/catalog.hpp"
#include "kafka/client_config.hpp"
#include "store/store_options.hpp"

namespace playstream::cli {

// Set by SIGINT/SIGTERM once stop_on_signals() ran: long-running commands finish cleanly.
const std::atomic<bool>& stop_on_signals();

// Loads a catalogue and says on stderr what it found. A catalogue without songs is a UsageError:
// every command that reads one refuses it before touching Kafka or the store.
catalog::Catalog load_catalog(const std::string& path, bool lenient);

// A listener's name as stream accepts it (not empty); for ->check().
std::string check_user_name(const std::string& name);

// --NAME VALUE and --NAME-file PATH (one or the other) for a secret; the file's trailing line end
// is dropped.
void add_secret_option(CLI::App& command, const std::string& name, std::string& target, const std::string& help);

// The librdkafka settings of a client: --kafka-security-protocol, --kafka-sasl-mechanism,
// --kafka-sasl-username, --kafka-sasl-password(-file), --kafka-ssl-ca, then -X KEY=VALUE
// (repeatable, any librdkafka setting, passed through as kcat does).
void add_kafka_settings_option(CLI::App& command, kafka::Settings& settings);

// --store URI and the Cassandra credentials, shared by every command that uses the table.
struct StoreArgs {
    std::string uri;
    store::StoreOptions options;
};
void add_store_options(CLI::App& command, StoreArgs& store);
// The Cassandra options of add_store_options without --store: credentials, TLS, compression, local datacenter.
void add_cassandra_options(CLI::App& command, store::StoreOptions& options);
// --write-consistency: any CQL level by its CQL name, in any case (LOCAL_QUORUM, one ...).
void add_write_consistency_option(CLI::App& command, store::StoreOptions& options);

// Writes `text` to `path`, or to stdout when `path` is empty. Throws playstream::Error.
void write_output(const std::string& text, const std::string& path);

}  // namespace playstream::cli
