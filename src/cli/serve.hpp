#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.hpp"
#include "store/store.hpp"

namespace playstream::cli {

// Serves the page over `store` until SIGINT/SIGTERM, its address printed on stdout as
// "WHO: the page is at http://HOST:PORT/"; `serve` and `demo --serve` both end here.
void serve_until_stopped(std::unique_ptr<store::Store> store, const http::Address& address,
                         const std::vector<std::string>& metrics, std::string_view who);

}  // namespace playstream::cli
