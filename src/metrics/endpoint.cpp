#include "metrics/endpoint.hpp"

#include <fmt/format.h>

#include "metrics/text_writer.hpp"
#include "util/log.hpp"

namespace playstream::metrics {

std::unique_ptr<http::Server> serve_probes(const http::Address& address, Probes probes, std::string_view who) {
    auto server = std::make_unique<http::Server>(address);
    server->get("/metrics", [metrics = std::move(probes.metrics)](const http::Request&) {
        return http::Reply{.status = 200, .content_type = std::string(text_content_type), .body = metrics()};
    });
    server->get("/health/live", [](const http::Request&) { return http::Reply{.body = "live\n"}; });
    server->get("/health/ready", [unready = std::move(probes.unready)](const http::Request&) {
        std::optional<std::string> reason = unready();
        return reason ? http::Reply{.status = 503, .body = *reason + "\n"} : http::Reply{.body = "ready\n"};
    });
    const http::Address bound = server->start();
    const std::string url = "http://" + bound.to_string();
    log::info(who, fmt::format("metrics and health on {}", url), {{"event", "http_listening"}, {"url", url}});
    return server;
}

}  // namespace playstream::metrics
