#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace playstream::cli {

// --http HOST:PORT: where a long-running command serves /metrics and /health (off when empty).
void add_http_option(CLI::App& command, std::string& address);

}  // namespace playstream::cli
