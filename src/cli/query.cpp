#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/ranged.hpp"
#include "events/timestamp.hpp"
#include "query/format.hpp"
#include "store/store.hpp"
#include "store/table_check.hpp"
#include "util/error.hpp"

namespace playstream::cli {
namespace {

struct QueryArgs {
    std::string kind;
    StoreArgs store;
    store::HourKey key;
    std::optional<std::int32_t> hour;
    std::size_t limit = 50;
    std::string format = "table";
    std::string out;
};

void check_hour_key(const QueryArgs& args) {
    if (args.key.name.empty() || args.key.date.empty() || !args.hour) {
        throw UsageError(fmt::format("query {}: needs --user, --date and --hour", args.kind));
    }
    std::int64_t ms = 0;
    std::string why;
    if (args.key.date.size() != 10 || !events::parse_timestamp(args.key.date + " 00:00", ms, &why)) {
        throw UsageError(fmt::format("query: --date '{}' is not a date YYYY-MM-DD{}", args.key.date,
                                     why.empty() ? "" : ": " + why));
    }
}

int run_query(QueryArgs& args) {
    query::Format format = query::parse_format(args.format);
    if (args.kind != "sample") {
        check_hour_key(args);
        args.key.hour = *args.hour;
    }
    args.store.options.create_if_missing = false;  // a typo in the path is an error, not a new file
    std::unique_ptr<store::Store> store = store::open_store(args.store.uri, args.store.options);
    store::check_table(*store, "query");
    query::Table table = args.kind == "sample" ? store->sample(args.limit)
                       : args.kind == "songs"  ? store->songs(args.key)
                                               : store->stats(args.key);
    write_output(query::render(table, format), args.out);
    return 0;
}

}  // namespace

Command add_query(CLI::App& app) {
    auto args = std::make_shared<QueryArgs>();
    auto* c = app.add_subcommand("query", "The classroom's three queries: sample, songs, stats");
    c->add_option("kind", args->kind, "sample: rows of the table; songs: song names of one user-hour; "
                                      "stats: average audio features of one user-hour")
        ->required()->check(CLI::IsMember({"sample", "songs", "stats"}));
    add_store_options(*c, args->store);
    c->add_option("--user", args->key.name, "user name");
    c->add_option("--date", args->key.date, "day, YYYY-MM-DD (UTC)");
    add_integer(*c, "--hour", args->hour, 0, 23, "hour of the day, 0-23 (UTC)");
    add_integer(*c, "--limit", args->limit, 1, 1000000, "rows for sample")->capture_default_str();
    c->add_option("--format", args->format, "table | csv | json")
        ->check(CLI::IsMember({"table", "csv", "json"}))->capture_default_str();
    c->add_option("--out", args->out, "write to this file instead of stdout");
    return {c, [args] { return run_query(*args); }};
}

}  // namespace playstream::cli
