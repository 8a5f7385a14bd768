#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

// Where an option's value comes from, first match wins: the command line, the environment variable
// PLAYSTREAM_<OPTION>, the --config file (TOML), the default. CLI11 reads the file and the
// environment; this adds the naming, the order (CLI11 alone lets the file win over the
// environment), the unknown-key error and --print-config.
namespace playstream::cli {

// PLAYSTREAM_ + the long name in upper case, dashes as underscores: --batch-size, PLAYSTREAM_BATCH_SIZE.
std::string env_name(const std::string& long_name);

// Gives every named option of `app` and of its subcommands, recursively, its environment
// variable. Run once every option is declared, so options added later get one too.
void give_env_names(CLI::App& app);

// CLI11's TOML reader, with two checks before the values are applied: a key that no option of
// its section takes is a ConfigError naming the key and the file, and a key whose environment
// variable is set is dropped, so the environment wins over the file.
class ConfigFile : public CLI::ConfigTOML {
public:
    explicit ConfigFile(const CLI::App& root) : root_(root) {}
    std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

private:
    const CLI::App& root_;
};

// Options whose value is a secret: masked by --print-config, a warning when on the command line.
bool is_secret_option(const std::string& long_name);
// librdkafka settings that hold secrets (sasl.password, ssl.key.password, ...).
bool is_secret_kafka_key(const std::string& key);

// The effective configuration of `command` (and the global options of `root`) as a TOML file
// that --config reads back: top-level globals, then a [command] section. Secrets are masked;
// options with no value and no default are listed as comments.
std::string print_config(const CLI::App& root, const CLI::App& command);

// Secrets that came from the command line: a warning each (ps shows them to every user), and
// their text in argv is overwritten so that ps shows stars from now on.
void warn_about_command_line_secrets(const CLI::App& command, int argc, char** argv);

}  // namespace playstream::cli
