#include "web/page.hpp"

#include <string_view>

#include <fmt/format.h>

namespace playstream::web {

// Compiled in by CMake (embed_file): src/web/static/* and Debian's chart.min.js.
std::string_view asset_index_html();
std::string_view asset_app_js();
std::string_view asset_style_css();
std::string_view asset_chart_js();

std::vector<std::pair<std::string, std::string>> page_headers() {
    return {{"Content-Security-Policy",
             "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
            {"Referrer-Policy", "no-referrer"},
            {"Cache-Control", "no-cache"}};
}

bool host_allowed(const http::Address& bound, std::string_view host) {
    const bool loopback = bound.host == "127.0.0.1" || bound.host == "localhost" || bound.host == "::1";
    if (!loopback) return true;
    for (std::string_view name : {"127.0.0.1", "localhost", "[::1]"}) {
        if (host == fmt::format("{}:{}", name, bound.port)) return true;
    }
    return false;
}

WebServer::WebServer(std::unique_ptr<store::Store> store, http::Address address, std::vector<std::string> metrics_urls)
    : monitor_(std::move(metrics_urls)), api_(std::move(store), &monitor_), server_(std::move(address)) {
    struct File {
        const char* path;
        const char* type;
        std::string_view (*body)();
    };
    for (const File& f : {File{"/", "text/html; charset=utf-8", asset_index_html},
                          File{"/app.js", "text/javascript; charset=utf-8", asset_app_js},
                          File{"/style.css", "text/css; charset=utf-8", asset_style_css},
                          File{"/chart.js", "text/javascript; charset=utf-8", asset_chart_js}}) {
        server_.get(f.path, guarded([f](const http::Request&) {
            return http::Reply{.status = 200, .content_type = f.type, .headers = page_headers(),
                               .body = std::string(f.body())};
        }));
    }
    api_.route(server_, [this](http::Handler handler) { return guarded(std::move(handler)); });
}

http::Handler WebServer::guarded(http::Handler handler) const {
    return [this, handler = std::move(handler)](const http::Request& request) {
        if (!host_allowed(server_.address(), request.host)) {
            return json_reply(421, "{\"error\": \"this server answers only to its own address (Host header)\"}\n");
        }
        return handler(request);
    };
}

http::Address WebServer::start() {
    monitor_.start();
    return server_.start();
}

void WebServer::stop() { server_.stop(); }

}  // namespace playstream::web
