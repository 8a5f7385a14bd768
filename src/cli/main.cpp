#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "util/error.hpp"

// Exit codes: 0 success, 2 usage error, 1 runtime failure.
int main(int argc, char** argv) {
    namespace cli = playstream::cli;
    CLI::App app{"playstream: listening events from Kafka, enriched with a song catalogue, into a store"};
    app.require_subcommand(1);
    std::vector<cli::Command> commands{cli::add_broker(app), cli::add_produce(app),
                                       cli::add_stream(app), cli::add_query(app),
                                       cli::add_schema(app), cli::add_demo(app)};
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    try {
        for (auto& [command, run] : commands) {
            if (command->parsed()) return run();
        }
    } catch (const playstream::UsageError& e) {
        fmt::print(stderr, "playstream: {}\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        fmt::print(stderr, "playstream: error: {}\n", e.what());
        return 1;
    }
    return 2;
}
