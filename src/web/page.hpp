#pragma once

#include <memory>
#include <string>
#include <vector>

#include "http/server.hpp"
#include "store/store.hpp"
#include "web/api.hpp"
#include "web/pipeline_monitor.hpp"

namespace playstream::web {

// `playstream serve`: the page (static files compiled into the binary, Chart.js among them), the
// JSON API over one store, and the pipeline panel's scrapes of --metrics URLs.
class WebServer {
public:
    WebServer(std::unique_ptr<store::Store> store, http::Address address, std::vector<std::string> metrics_urls);
    // Binds and serves; returns the bound address.
    http::Address start();
    void stop();

private:
    // Refuses requests whose Host header host_allowed() does not accept.
    http::Handler guarded(http::Handler handler) const;

    PipelineMonitor monitor_;
    Api api_;
    http::Server server_;
};

// The page's headers: a Content-Security-Policy allowing only this server's own scripts, styles
// and requests (no inline script: an injected handler would not run even if escaping failed),
// no framing, no referrer.
std::vector<std::pair<std::string, std::string>> page_headers();

// Whether a request's Host header may reach a server bound to `bound`. On a loopback address only
// the loopback names of its port are: a web site whose name an attacker points at 127.0.0.1 (DNS
// rebinding) would otherwise be same-origin with the page and read the API. On any other
// address (the user chose to expose it) every Host is.
bool host_allowed(const http::Address& bound, std::string_view host);

}  // namespace playstream::web
