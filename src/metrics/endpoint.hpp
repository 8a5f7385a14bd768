#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/server.hpp"

namespace playstream::metrics {

// What a long-running command exposes to its operators.
struct Probes {
    std::function<std::string()> metrics;                  // the exposition text of /metrics
    std::function<std::optional<std::string>()> unready;  // why it is not ready; nullopt: ready
};

// Serves GET /metrics, GET /health/live (200 while the process answers) and GET /health/ready
// (200 "ready", or 503 with the one-line reason) on `address`, and says on stderr where, as
// "`who`: metrics and health on http://HOST:PORT". Stops with the returned server.
std::unique_ptr<http::Server> serve_probes(const http::Address& address, Probes probes, std::string_view who);

}  // namespace playstream::metrics
