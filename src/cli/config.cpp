#include "cli/config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "util/log.hpp"

namespace playstream::cli {
namespace {

const char* const mask = "********";

std::string config_file_name(const CLI::App& root) {
    const CLI::Option* option = root.get_config_ptr();
    if (option == nullptr) return "?";
    if (option->count() > 0) return option->results().back();
    return option->get_default_str();
}

const CLI::App* find_subcommand(const CLI::App& app, const std::string& name) {
    for (const CLI::App* sub : app.get_subcommands({})) {
        if (sub->check_name(name)) return sub;
    }
    return nullptr;
}

// The option a key names, as CLI11 looks it up: a long name, else a positional's name.
const CLI::Option* find_option(const CLI::App& app, const std::string& key) {
    if (const CLI::Option* option = app.get_option_no_throw("--" + key)) return option;
    return app.get_option_no_throw(key);
}

// TOML for one value: numbers bare, other text as a literal string when it can be one.
std::string toml_value(const std::string& value) {
    static const std::regex number(R"(-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)");
    if (std::regex_match(value, number)) return value;
    const bool plain = std::none_of(value.begin(), value.end(), [](char c) {
        return c == '\'' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (plain) return "'" + value + "'";
    std::string out = "\"";
    for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') out += fmt::format("\\{}", c);
        else if (u < 0x20 || u == 0x7f) out += fmt::format("\\u{:04x}", u);
        else out += c;
    }
    return out + "\"";
}

std::string masked_value(const CLI::Option& option, const std::string& value) {
    if (is_secret_option(option.get_single_name())) return mask;
    if (option.get_single_name() == "kafka-option") {
        const auto eq = value.find('=');
        if (eq != std::string::npos && is_secret_kafka_key(value.substr(0, eq))) {
            return value.substr(0, eq + 1) + mask;
        }
    }
    return value;
}

void print_options(std::string& out, const CLI::App& app) {
    for (const CLI::Option* option : app.get_options({})) {
        if (!option->get_configurable()) continue;
        const std::string& name = option->get_single_name();
        if (option->get_expected_min() == 0) {  // a flag
            const bool on = option->count() > 0 && option->as<bool>();
            out += fmt::format("{} = {}\n", name, on ? "true" : "false");
            continue;
        }
        std::vector<std::string> values = option->count() > 0 ? option->reduced_results()
                                        : option->get_default_str().empty()
                                            ? std::vector<std::string>{}
                                            : std::vector<std::string>{option->get_default_str()};
        if (values.empty()) {
            out += fmt::format("# {} = (not set)\n", name);
            continue;
        }
        std::vector<std::string> shown;
        for (const auto& value : values) shown.push_back(toml_value(masked_value(*option, value)));
        const bool array = option->get_items_expected_max() > 1;
        out += fmt::format("{} = {}{}{}\n", name, array ? "[" : "", fmt::join(shown, ", "), array ? "]" : "");
    }
}

}  // namespace

std::string env_name(const std::string& long_name) {
    std::string name = "PLAYSTREAM_";
    for (char c : long_name) {
        name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return name;
}

void give_env_names(CLI::App& app) {
    for (CLI::Option* option : app.get_options({})) {
        // --help, --config and --print-config are not configuration; positionals have no name.
        if (!option->get_configurable() || option->get_lnames().empty()) continue;
        if (option->get_envname().empty()) option->envname(env_name(option->get_single_name()));
    }
    for (CLI::App* sub : app.get_subcommands({})) give_env_names(*sub);
}

std::vector<CLI::ConfigItem> ConfigFile::from_config(std::istream& input) const {
    std::vector<CLI::ConfigItem> read = CLI::ConfigTOML::from_config(input);
    std::vector<CLI::ConfigItem> kept;
    for (CLI::ConfigItem& item : read) {
        const CLI::App* app = &root_;
        for (const std::string& parent : item.parents) {
            app = find_subcommand(*app, parent);
            if (app == nullptr) {
                throw CLI::ConfigError(fmt::format("config file {}: unknown section [{}] (sections are commands: "
                                                   "[stream], [produce], ...)",
                                                   config_file_name(root_), fmt::join(item.parents, ".")));
            }
        }
        if (item.name == "++" || item.name == "--") {  // a section opens or closes
            kept.push_back(std::move(item));
            continue;
        }
        const CLI::Option* option = find_option(*app, item.name);
        if (option == nullptr || !option->get_configurable()) {
            throw CLI::ConfigError(fmt::format(
                "config file {}: unknown key '{}' {}", config_file_name(root_), item.name,
                item.parents.empty() ? "at the top level (a command's options go in its section, e.g. [stream])"
                                     : fmt::format("in [{}]", fmt::join(item.parents, "."))));
        }
        const std::string env = option->get_envname();
        if (!env.empty()) {
            const char* set = std::getenv(env.c_str());
            if (set != nullptr && *set != '\0') continue;  // the environment wins over the file
        }
        kept.push_back(std::move(item));
    }
    return kept;
}

bool is_secret_option(const std::string& long_name) {
    return (long_name.find("password") != std::string::npos || long_name.find("secret") != std::string::npos) &&
           !long_name.ends_with("-file");
}

bool is_secret_kafka_key(const std::string& key) {
    // librdkafka's sensitive properties: *.password, sasl.oauthbearer.client.secret and .config,
    // ssl.key.pem, ssl_key.
    return key.find("password") != std::string::npos || key.find("secret") != std::string::npos ||
           key == "sasl.oauthbearer.config" || key == "ssl.key.pem" || key == "ssl_key";
}

std::string print_config(const CLI::App& root, const CLI::App& command) {
    std::string out = fmt::format(
        "# playstream {}: effective configuration (command line > environment > config file > default)\n",
        command.get_name());
    print_options(out, root);
    out += fmt::format("\n[{}]\n", command.get_name());
    print_options(out, command);
    return out;
}

void warn_about_command_line_secrets(const CLI::App& command, int argc, char** argv) {
    std::set<std::string> secrets;
    std::set<const CLI::Option*> seen;
    for (const CLI::Option* option : command.parse_order()) {
        if (!seen.insert(option).second) continue;
        const std::string& name = option->get_single_name();
        if (is_secret_option(name)) {
            log::warn("playstream",
                      fmt::format("--{} on the command line is visible to every user of this machine (ps); "
                                  "use {}, --{}-file or the config file",
                                  name, option->get_envname(), name));
            for (const auto& value : option->results()) secrets.insert(value);
        } else if (name == "kafka-option") {
            for (const auto& setting : option->results()) {
                const auto eq = setting.find('=');
                if (eq == std::string::npos || !is_secret_kafka_key(setting.substr(0, eq))) continue;
                log::warn("playstream", fmt::format("-X {}=... on the command line is visible to every user of "
                                                    "this machine (ps); use --kafka-sasl-password-file, "
                                                    "PLAYSTREAM_KAFKA_SASL_PASSWORD or the config file",
                                                    setting.substr(0, eq)));
                secrets.insert(setting.substr(eq + 1));
            }
        }
    }
    // As mysql does: the value is read, so blank it where ps reads the command line.
    for (int i = 1; i < argc; ++i) {
        const std::size_t length = std::strlen(argv[i]);
        for (const std::string& secret : secrets) {
            if (secret.empty() || length < secret.size()) continue;
            char* tail = argv[i] + length - secret.size();
            const bool whole = length == secret.size() || tail[-1] == '=';
            if (whole && secret == tail) std::memset(tail, '*', secret.size());
        }
    }
}

}  // namespace playstream::cli
