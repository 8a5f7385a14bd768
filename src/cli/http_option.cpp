#include "cli/http_option.hpp"

#include "http/server.hpp"
#include "util/error.hpp"

namespace playstream::cli {

void add_http_option(CLI::App& command, std::string& address) {
    command.add_option("--http", address,
                       "serve /metrics, /health/live and /health/ready on HOST:PORT (127.0.0.1 unless "
                       "a host is given; port 0: any free port, printed on stderr)")
        ->check([](const std::string& text) {
            try {
                http::parse_address(text, "--http");
                return std::string();
            } catch (const UsageError& e) {
                return std::string(e.what());
            }
        });
}

}  // namespace playstream::cli
