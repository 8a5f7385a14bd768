#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "store/store.hpp"

namespace playstream::cli {

Command add_schema(CLI::App& app) {
    auto args = std::make_shared<StoreArgs>();
    auto* c = app.add_subcommand("schema", "Create the keyspace and listening_history table if missing");
    add_store_options(*c, *args);
    c->add_option("--replication-strategy", args->options.replication_strategy, "Cassandra keyspace replication")
        ->check(CLI::IsMember({"SimpleStrategy", "NetworkTopologyStrategy"}))->capture_default_str();
    c->add_option("--replication-factor", args->options.replication_factor, "Cassandra replicas of each row")
        ->check(CLI::PositiveNumber)->capture_default_str();
    return {c, [args] {
        store::open_store(args->uri, args->options)->ensure_schema();
        fmt::print(stderr, "schema: listening_history is ready in {}\n", args->uri);
        return 0;
    }};
}

}  // namespace playstream::cli
