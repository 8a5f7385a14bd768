#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/strand.hpp>
#include <functional>
#include <memory>
#include <string>

#include "cql/driver/tls_options.hpp"

namespace playstream::cql::driver {

// The context every TLS connection of a session shares: the CA, the client certificate and key,
// TLS 1.2 or newer, peer verification on. Throws std::invalid_argument naming a file it cannot use.
std::shared_ptr<asio::ssl::context> make_tls_context(const TlsOptions& options);

// The byte stream under a Connection: a TCP socket, or TLS over one. The connection reads and
// writes through it without knowing which; at most one read and one write are outstanding at a
// time, which is what an SSL stream allows. Used on one strand only.
class Transport {
public:
    using Executor = asio::strand<asio::io_context::executor_type>;
    using IoHandler = std::function<void(const asio::error_code&, std::size_t)>;
    // Why a connect failed, in words (the certificate problem included), and whether it was the
    // TLS handshake that failed (with the node answering: not a timeout).
    using ConnectHandler = std::function<void(const asio::error_code&, const std::string& why, bool tls_refused)>;

    // `tls` null: plain TCP. `host`: the name or address the certificate must be for.
    Transport(Executor executor, std::shared_ptr<asio::ssl::context> tls, std::string host, bool verify_hostname);

    bool is_tls() const { return tls_stream_ != nullptr; }
    // Connects to the first of `endpoints` that accepts, then runs the TLS handshake if any.
    void async_connect(const asio::ip::tcp::resolver::results_type& endpoints, ConnectHandler done);
    void async_write(asio::const_buffer data, IoHandler done);
    void async_read_some(asio::mutable_buffer into, IoHandler done);
    // Closes the socket: outstanding operations finish with operation_aborted.
    void close();

private:
    asio::ip::tcp::socket& socket();
    void handshake(ConnectHandler done);
    std::string handshake_error(const asio::error_code& ec) const;

    std::shared_ptr<asio::ssl::context> context_;  // kept alive as long as the stream using it
    asio::ip::tcp::socket plain_;
    std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket>> tls_stream_;
    const std::string host_;
};

}  // namespace playstream::cql::driver
