#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace playstream::http {

// Where a server listens. Loopback unless told otherwise: what it serves is for this machine's
// scrapers and browsers, not the network.
struct Address {
    std::string host = "127.0.0.1";
    int port = 0;  // 0: chosen by the kernel
    std::string to_string() const;  // "127.0.0.1:8080", "[::1]:8080"
};

// Parses HOST:PORT, [IPV6]:PORT, :PORT or PORT (the last two on 127.0.0.1), port 0-65535.
// Throws UsageError naming `option` and the text.
Address parse_address(std::string_view text, std::string_view option);

struct Request {
    std::string path;
    std::multimap<std::string, std::string> params;  // the query string, decoded
    std::string host{};                              // the Host header, as sent
};

struct Reply {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers{};  // more headers (e.g. a page's CSP)
    std::string body;
};

using Handler = std::function<Reply(const Request&)>;

// A small HTTP/1.1 server (cpp-httplib) answering GET routes from a few threads of its own.
// Every answer carries `X-Content-Type-Options: nosniff`; a handler that throws gives a 500 with
// a one-line message; any other path is a 404. Handlers run on the server's threads.
class Server {
public:
    explicit Server(Address address);
    ~Server();  // stops
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Routes an exact path; before start().
    void get(const std::string& path, Handler handler);
    // Binds and starts serving; returns the bound address (with the kernel's port for port 0).
    // Throws playstream::Error when the address cannot be bound.
    Address start();
    // Where it listens: after start(), the bound address.
    const Address& address() const;
    // Stops serving and waits for the server's threads. Idempotent.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace playstream::http
