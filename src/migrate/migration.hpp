#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>

#include "catalog/catalog.hpp"
#include "migrate/source.hpp"
#include "store/store_options.hpp"

namespace playstream::migrate {

struct MigrateOptions {
    std::string from;  // the classroom table: cassandra://HOSTS/KEYSPACE or sqlite:PATH
    std::string to;    // our table: any store URI
    SourceOptions source;
    store::StoreOptions target;
    std::string rejects_path = "migrate-rejects.csv";
    std::string state_path = "migrate.state";
    bool resume = false;
    std::size_t max_ranges = 0;  // stop after this many ranges (0: all); --resume goes on
    double report_interval_s = 5;
};

struct MigrateCounts {
    std::uint64_t read = 0, written = 0, rejected = 0;
    std::map<std::string, std::uint64_t> rejected_by_reason;
    std::uint64_t partitions_checked = 0, partitions_mismatched = 0;
};

// Copies every row of the classroom table at `from` into our table at `to`, range by range:
// each page mapped (row_mapping.hpp), its rows written and acknowledged, its rejects appended to
// the CSV file; after each range, every partition written in it is counted in the target, and
// the state file records the range as finished with the counts so far. `resume` starts after
// the state file's last finished range. Stops after the current range once `stop` is set.
// Throws Error when a store fails or a table is not what it should be.
MigrateCounts run_migration(const MigrateOptions& options, const catalog::Catalog& catalog,
                            const std::atomic<bool>& stop);

}  // namespace playstream::migrate
