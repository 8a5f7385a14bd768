#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/config.hpp"
#include "cli/ranged.hpp"
#include "migrate/migration.hpp"
#include "util/error.hpp"

namespace playstream::cli {
namespace {

struct MigrateArgs {
    migrate::MigrateOptions migration;
    std::string catalog;
    bool lenient = false;
};

}  // namespace

Command add_migrate(CLI::App& app) {
    auto args = std::make_shared<MigrateArgs>();
    auto& m = args->migration;
    auto* c = app.add_subcommand("migrate", "Copy the classroom's listening_history into playstream's table");
    c->add_option("--from", m.from, "the classroom table: cassandra://HOST[:PORT][,HOST...]/KEYSPACE or sqlite:PATH")
        ->required();
    c->add_option("--to", m.to, "playstream's table: sqlite:PATH or cassandra://HOST[:PORT][,HOST...]/KEYSPACE")
        ->required();
    c->add_option("--catalog", args->catalog, "song catalogue CSV that gives each song its song_id")->required();
    c->add_flag("--lenient", args->lenient, "skip and count bad catalogue rows instead of failing");
    add_cassandra_options(*c, m.target);  // both ends: credentials, TLS, compression, local datacenter
    add_write_consistency_option(*c, m.target);
    c->add_option("--rejects", m.rejects_path, "CSV file of the rows that cannot be migrated, with the reason")
        ->capture_default_str();
    c->add_option("--state-file", m.state_path, "file recording the finished ranges, for --resume")->capture_default_str();
    c->add_flag("--resume", m.resume, "continue after the last finished range of --state-file");
    add_integer(*c, "--max-ranges", m.max_ranges, 0, 1000000000,
                "stop after this many ranges, to go on later with --resume (0: all)")->capture_default_str();
    add_integer(*c, "--token-ranges", m.source.token_ranges, 1, 1000000,
                "ranges the Cassandra token ring is read in")->capture_default_str();
    add_integer(*c, "--page-size", m.source.page_size, 1, 100000, "rows per page read")->capture_default_str();
    add_number(*c, "--report-interval", m.report_interval_s,
               {.min = 0.1, .max = 86400, .zero_means = "none", .unit = "seconds"},
               "seconds between progress lines (0: none)")->capture_default_str();
    // Names of their own in the environment: PLAYSTREAM_FROM is stream's --from, and
    // PLAYSTREAM_STATE is not ours to read.
    for (const char* name : {"--from", "--to", "--rejects", "--state-file", "--resume", "--max-ranges",
                             "--token-ranges", "--page-size"}) {
        c->get_option(name)->envname(env_name("migrate-" + std::string(name).substr(2)));
    }
    return {c, [args] {
        catalog::Catalog catalog = load_catalog(args->catalog, args->lenient);
        args->migration.source.store = args->migration.target;  // the same credentials
        const auto counts = migrate::run_migration(args->migration, catalog, stop_on_signals());
        if (counts.partitions_mismatched > 0) {
            throw Error(fmt::format("migrate: {} partitions of {} do not hold the rows written into them",
                                    counts.partitions_mismatched, args->migration.to));
        }
        return 0;
    }};
}

}  // namespace playstream::cli
