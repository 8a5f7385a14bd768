#pragma once

#include <functional>
#include <utility>

#include <CLI/CLI.hpp>

namespace playstream::cli {

// Each subcommand adds itself to the app and returns how to run it once the line is parsed.
using Runner = std::function<int()>;
using Command = std::pair<CLI::App*, Runner>;

Command add_broker(CLI::App& app);
Command add_produce(CLI::App& app);
Command add_stream(CLI::App& app);
Command add_query(CLI::App& app);
Command add_schema(CLI::App& app);
Command add_demo(CLI::App& app);
Command add_migrate(CLI::App& app);
Command add_serve(CLI::App& app);

}  // namespace playstream::cli
