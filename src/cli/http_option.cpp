#include "cli/http_option.hpp"

#include "cli/usage_check.hpp"
#include "http/server.hpp"

namespace playstream::cli {

CLI::Option* add_http_option(CLI::App& command, std::string& address, const std::string& what) {
    return command
        .add_option("--http", address,
                    what + " on HOST:PORT (127.0.0.1 unless a host is given; port 0: any free port, printed)")
        ->check(usage_check([](const std::string& text) { http::parse_address(text, "--http"); }));
}

}  // namespace playstream::cli
