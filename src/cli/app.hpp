#pragma once

#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace playstream::cli {

// The options of the whole program, before or after the command's name.
struct GlobalArgs {
    bool print_config = false;
    std::string log_format = "text";
    std::string env_config;  // $PLAYSTREAM_CONFIG when set
};

// Declares the global options (--config, --print-config, --log-format), every command, and the
// environment variable of every option; returns the commands to run.
std::vector<Command> build_app(CLI::App& app, GlobalArgs& globals);

}  // namespace playstream::cli
