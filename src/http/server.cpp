#include "http/server.hpp"

#include <charconv>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <sys/socket.h>

#include <fmt/format.h>
#include <httplib.h>

#include "util/error.hpp"

namespace playstream::http {

std::string Address::to_string() const {
    return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port)
                                               : fmt::format("{}:{}", host, port);
}

Address parse_address(std::string_view text, std::string_view option) {
    auto bad = [&](std::string_view why) {
        return UsageError(fmt::format("{} '{}': {} (expected HOST:PORT, e.g. 127.0.0.1:9464)", option, text, why));
    };
    Address address;
    std::string_view port = text;
    if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
        std::string_view host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.starts_with('[')) {
            if (!host.ends_with(']') || host.size() < 3) throw bad("unbalanced brackets around the host");
            host = host.substr(1, host.size() - 2);
        } else if (host.find(':') != std::string_view::npos) {
            throw bad("an IPv6 host goes in brackets");
        }
        if (!host.empty()) address.host = host;
    }
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), address.port);
    if (port.empty() || error != std::errc() || end != port.data() + port.size() || address.port < 0 ||
        address.port > 65535) {
        throw bad("the port must be a number from 0 to 65535");
    }
    return address;
}

struct Server::Impl {
    Address address;
    httplib::Server server;
    std::thread thread;
};

Server::Server(Address address) : impl_(std::make_unique<Impl>()) {
    impl_->address = std::move(address);
    auto& server = impl_->server;
    // A scraper, a browser and a person with curl at once; each keep-alive connection holds one.
    server.new_task_queue = [] { return new httplib::ThreadPool(4); };
    server.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
    // httplib's default also sets SO_REUSEPORT, which lets a second process bind the same port
    // and take half the scrapes; SO_REUSEADDR alone still allows a quick restart.
    server.set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    server.set_keep_alive_timeout(5);
    server.set_read_timeout(5);
    server.set_write_timeout(5);
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
        std::string what = "unknown error";
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            what = ex.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content("internal error: " + what + "\n", "text/plain; charset=utf-8");
    });
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty()) {
            res.set_content(res.status == 404 ? "not found\n" : fmt::format("HTTP status {}\n", res.status),
                            "text/plain; charset=utf-8");
        }
    });
}

Server::~Server() { stop(); }

void Server::get(const std::string& path, Handler handler) {
    // A literal path, not the regular expression httplib takes: "." or "+" in it mean themselves.
    std::string pattern;
    for (char c : path) {
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) pattern += '\\';
        pattern += c;
    }
    impl_->server.Get(pattern, [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
        Request request{.path = req.path, .params = {req.params.begin(), req.params.end()},
                        .host = req.get_header_value("Host")};
        Reply reply = handler(request);
        res.status = reply.status;
        for (auto& [name, value] : reply.headers) res.set_header(name, value);
        res.set_content(std::move(reply.body), reply.content_type.c_str());
    });
}

Address Server::start() {
    auto& impl = *impl_;
    const int port = impl.address.port == 0 ? impl.server.bind_to_any_port(impl.address.host)
                                            : (impl.server.bind_to_port(impl.address.host, impl.address.port)
                                                   ? impl.address.port : -1);
    if (port < 0) {
        throw Error(fmt::format("http: cannot listen on {}: {}", impl.address.to_string(),
                                std::strerror(errno != 0 ? errno : EADDRNOTAVAIL)));
    }
    impl.address.port = port;
    impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
    // stop() before the thread runs would find nothing to stop and the thread would never end.
    for (int waited = 0; !impl.server.is_running() && waited < 5000; ++waited) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return impl.address;
}

const Address& Server::address() const { return impl_->address; }

void Server::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->server.stop();
    impl_->thread.join();
}

}  // namespace playstream::http
