#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace playstream::cli {

// --http HOST:PORT, checked at the edge: where a command serves `what` (127.0.0.1 unless a host is
// given; port 0: any free port, printed). Default `what`: a long-running command's /metrics and
// /health, off when the address is empty.
CLI::Option* add_http_option(CLI::App& command, std::string& address,
                             const std::string& what = "serve /metrics, /health/live and /health/ready");

}  // namespace playstream::cli
