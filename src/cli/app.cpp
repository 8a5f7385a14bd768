#include "cli/app.hpp"

#include <cstdlib>
#include <memory>

#include "cli/config.hpp"
#include "cli/version.hpp"

namespace playstream::cli {

std::vector<Command> build_app(CLI::App& app, GlobalArgs& globals) {
    app.set_version_flag("--version", version_text, "print the version, the commit and the library versions");
    app.require_subcommand(1);
    app.fallthrough();  // the global options may follow the command's name
    app.config_formatter(std::make_shared<ConfigFile>(app));
    app.allow_config_extras(CLI::config_extras_mode::error);
    const char* env_config = std::getenv("PLAYSTREAM_CONFIG");
    globals.env_config = env_config != nullptr ? env_config : "";
    app.set_config("--config", globals.env_config,
                   "TOML file of options: top-level log-format, and a [COMMAND] section of long option names "
                   "for each command (default: $PLAYSTREAM_CONFIG)");
    app.add_flag("--print-config", globals.print_config,
                 "print the effective configuration as TOML (secrets masked) and exit")
        ->configurable(false);
    app.add_option("--log-format", globals.log_format, "stderr lines as text, or as JSON objects for log shippers")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    std::vector<Command> commands{add_broker(app), add_produce(app), add_stream(app),
                                  add_query(app),  add_schema(app),  add_demo(app),
                                  add_migrate(app), add_serve(app)};
    give_env_names(app);
    return commands;
}

}  // namespace playstream::cli
