#include "kafka/port_relay.hpp"

#include <array>

#include <asio.hpp>
#include <fmt/format.h>

#include "util/error.hpp"

namespace playstream::kafka {

using asio::ip::tcp;

namespace {

// One direction of one connection: read from `from`, write all to `to`, repeat; on EOF or error
// close both so the other direction ends too.
void pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    auto buffer = std::make_shared<std::array<char, 64 * 1024>>();
    from->async_read_some(asio::buffer(*buffer), [from, to, buffer](asio::error_code ec, std::size_t n) {
        if (ec) {
            asio::error_code ignored;
            to->shutdown(tcp::socket::shutdown_both, ignored);
            from->close(ignored);
            return;
        }
        asio::async_write(*to, asio::buffer(*buffer, n), [from, to](asio::error_code wec, std::size_t) {
            if (wec) {
                asio::error_code ignored;
                from->close(ignored);
                to->close(ignored);
                return;
            }
            pump(from, to);
        });
    });
}

}  // namespace

struct PortRelay::Impl {
    asio::io_context io;
    tcp::acceptor acceptor{io};
    asio::steady_timer retry{io};
    tcp::endpoint upstream;

    void accept() {
        acceptor.async_accept([this](asio::error_code ec, tcp::socket client) {
            if (ec == asio::error::operation_aborted) return;  // shutting down
            if (ec) {  // e.g. out of file descriptors: keep serving the others, try again shortly
                retry.expires_after(std::chrono::milliseconds(100));
                retry.async_wait([this](asio::error_code) { accept(); });
                return;
            }
            auto down = std::make_shared<tcp::socket>(std::move(client));
            auto up = std::make_shared<tcp::socket>(io);
            up->async_connect(upstream, [down, up](asio::error_code cec) {
                if (cec) return;  // both sockets close as their last owners go
                pump(down, up);
                pump(up, down);
            });
            accept();
        });
    }
};

PortRelay::PortRelay(std::uint16_t listen_port, const std::string& upstream_host,
                     std::uint16_t upstream_port)
    : impl_(std::make_unique<Impl>()) {
    impl_->upstream = tcp::endpoint(asio::ip::make_address(upstream_host), upstream_port);
    tcp::endpoint local(asio::ip::address_v4::loopback(), listen_port);
    asio::error_code ec;
    impl_->acceptor.open(local.protocol(), ec);
    if (!ec) impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) impl_->acceptor.bind(local, ec);
    if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw Error(fmt::format("cannot listen on 127.0.0.1:{}: {}", listen_port, ec.message()));
    port_ = impl_->acceptor.local_endpoint().port();
    impl_->accept();
    thread_ = std::thread([this] { impl_->io.run(); });
}

PortRelay::~PortRelay() {
    impl_->io.stop();
    thread_.join();
}

}  // namespace playstream::kafka
