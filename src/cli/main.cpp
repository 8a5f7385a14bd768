#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "cli/app.hpp"
#include "cli/config.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace {

namespace cli = playstream::cli;
namespace log = playstream::log;

// The format of the error line when parsing failed half-way: what the command line or the
// environment asked for so far.
log::Format format_so_far(const CLI::App& app) {
    const CLI::Option* option = app.get_option("--log-format");
    std::string name = option->count() > 0 ? option->as<std::string>() : "";
    if (name.empty()) {
        const char* env = std::getenv(option->get_envname().c_str());
        name = env != nullptr ? env : "";
    }
    log::Format format = log::Format::Text;
    log::parse_format(name, format);
    return format;
}

}  // namespace

// Exit codes: 0 success, 2 usage error, 1 runtime failure.
int main(int argc, char** argv) {
    CLI::App app{"playstream: listening events from Kafka, enriched with a song catalogue, into a store"};
    cli::GlobalArgs globals;
    std::vector<cli::Command> commands = cli::build_app(app, globals);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0 || format_so_far(app) == log::Format::Text) {
            int code = app.exit(e);
            return code == 0 ? 0 : 2;
        }
        log::set_format(log::Format::Json);
        log::error("playstream", e.what());
        return 2;
    }
    log::Format format = log::Format::Text;
    log::parse_format(globals.log_format, format);
    log::set_format(format);
    try {
        // CLI11 skips a default config file that is missing; one named by the user is an error.
        if (!globals.env_config.empty() && app.get_config_ptr()->count() == 0 &&
            !std::filesystem::is_regular_file(globals.env_config)) {
            throw playstream::UsageError(fmt::format("PLAYSTREAM_CONFIG: no such file {}", globals.env_config));
        }
        for (auto& [command, run] : commands) {
            if (!command->parsed()) continue;
            if (globals.print_config) {
                fmt::print("{}", cli::print_config(app, *command));
                return 0;
            }
            cli::warn_about_command_line_secrets(*command, argc, argv);
            return run();
        }
    } catch (const playstream::UsageError& e) {
        log::error("playstream", e.what());
        return 2;
    } catch (const std::exception& e) {
        log::error("playstream", e.what());
        return 1;
    }
    return 2;
}
