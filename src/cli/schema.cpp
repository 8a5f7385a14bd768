#include <memory>

#include <fmt/format.h>

#include "cli/choice.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/ranged.hpp"
#include "cli/usage_check.hpp"
#include "store/store.hpp"
#include "store/table_check.hpp"
#include "util/log.hpp"

namespace playstream::cli {

Command add_schema(CLI::App& app) {
    auto args = std::make_shared<StoreArgs>();
    auto* c = app.add_subcommand("schema", "Create the keyspace and listening_history table if missing");
    add_store_options(*c, *args);
    auto* strategy = add_choice(*c, "--replication-strategy", args->options.replication_strategy,
                                {{"SimpleStrategy", store::ReplicationStrategy::Simple},
                                 {"NetworkTopologyStrategy", store::ReplicationStrategy::NetworkTopology}},
                                "Cassandra keyspace replication");
    auto* factor = add_integer(*c, "--replication-factor", args->options.replication_factor, 1, 100,
                               "Cassandra replicas of each row")
                       ->capture_default_str();
    c->add_option_function<std::string>(
         "--replication",
         [args](const std::string& text) {
             args->options.replication_per_datacenter = store::parse_datacenter_factors(text);
         },
         "NetworkTopologyStrategy with these replicas in each datacenter: DC:N[,DC:N...], e.g. dc1:3,dc2:3")
        ->check(usage_check([](const std::string& text) { store::parse_datacenter_factors(text); }))
        ->excludes(strategy)
        ->excludes(factor);
    return {c, [args] {
        auto store = store::open_store(args->uri, args->options);
        store::check_table(*store, "schema");
        store->ensure_schema();
        log::info("schema", fmt::format("listening_history is ready in {}", args->uri), {{"store", args->uri}});
        return 0;
    }};
}

}  // namespace playstream::cli
