#include <chrono>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/http_option.hpp"
#include "cli/serve.hpp"
#include "cli/usage_check.hpp"
#include "http/server.hpp"
#include "util/error.hpp"
#include "web/page.hpp"
#include "web/pipeline_monitor.hpp"

namespace playstream::cli {
namespace {

struct ServeArgs {
    StoreArgs store;
    std::string http = "127.0.0.1:8080";
    std::vector<std::string> metrics;
};

int run_serve(ServeArgs& args) {
    args.store.options.create_if_missing = false;  // read-only: never a new empty database
    serve_until_stopped(store::open_store(args.store.uri, args.store.options),
                        http::parse_address(args.http, "--http"), args.metrics, "serve");
    return 0;
}

}  // namespace

void serve_until_stopped(std::unique_ptr<store::Store> store, const http::Address& address,
                         const std::vector<std::string>& metrics, std::string_view who) {
    const auto& stop = stop_on_signals();
    web::WebServer server(std::move(store), address, metrics);
    const http::Address bound = server.start();
    fmt::print("{}: the page is at http://{}/ (Ctrl-C to stop)\n", who, bound.to_string());
    std::fflush(stdout);
    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.stop();
}

Command add_serve(CLI::App& app) {
    auto args = std::make_shared<ServeArgs>();
    auto* c = app.add_subcommand("serve", "A web page and JSON API of the listening data and the live pipeline "
                                          "(read-only)");
    add_store_options(*c, args->store);
    add_http_option(*c, args->http, "serve the page and its API")->capture_default_str();
    c->add_option("--metrics", args->metrics, "a running stream's or produce's /metrics URL "
                                              "(http://HOST:PORT/metrics) for the pipeline panel, repeatable")
        ->check(usage_check([](const std::string& url) { web::check_metrics_url(url); }));
    return {c, [args] { return run_serve(*args); }};
}

}  // namespace playstream::cli
