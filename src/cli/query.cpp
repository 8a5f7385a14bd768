#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/ranged.hpp"
#include "query/format.hpp"
#include "query/request.hpp"
#include "store/store.hpp"
#include "store/table_check.hpp"

namespace playstream::cli {
namespace {

struct QueryArgs {
    std::string kind;
    StoreArgs store;
    query::Params params;
    std::string format = "table";
    std::string out;
};

int run_query(QueryArgs& args) {
    query::Format format = query::parse_format(args.format);
    const query::Kind kind = query::parse_kind(args.kind);
    query::check(kind, args.params, query::option_names);
    args.store.options.create_if_missing = false;  // a typo in the path is an error, not a new file
    std::unique_ptr<store::Store> store = store::open_store(args.store.uri, args.store.options);
    store::check_table(*store, "query");
    write_output(query::render(query::run(*store, kind, args.params), format), args.out);
    return 0;
}

}  // namespace

Command add_query(CLI::App& app) {
    auto args = std::make_shared<QueryArgs>();
    auto* c = app.add_subcommand("query", "The classroom's three queries (sample, songs, stats) and the "
                                          "listening index (users, dates, hours)");
    c->add_option("kind", args->kind, "sample: rows of the table; songs: song names of one user-hour; "
                                      "stats: average audio features of one user-hour; users: names starting "
                                      "with --prefix; dates: the days --user listened on; hours: listens per "
                                      "hour of --user's --date")
        ->required()->check(CLI::IsMember({"sample", "songs", "stats", "users", "dates", "hours"}));
    add_store_options(*c, args->store);
    c->add_option("--user", args->params.user, "user name");
    c->add_option("--date", args->params.date, "day, YYYY-MM-DD (UTC)");
    add_integer(*c, "--hour", args->params.hour, 0, 23, "hour of the day, 0-23 (UTC)");
    c->add_option("--prefix", args->params.prefix, "start of the user names, for users (case-sensitive)");
    add_integer(*c, "--limit", args->params.limit, 1, 1000000, "rows for sample and users")->capture_default_str();
    c->add_option("--format", args->format, "table | csv | json")
        ->check(CLI::IsMember({"table", "csv", "json"}))->capture_default_str();
    c->add_option("--out", args->out, "write to this file instead of stdout");
    return {c, [args] { return run_query(*args); }};
}

}  // namespace playstream::cli
