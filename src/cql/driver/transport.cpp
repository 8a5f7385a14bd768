#include "cql/driver/transport.hpp"

#include <asio/connect.hpp>
#include <asio/ip/address.hpp>
#include <asio/ssl/error.hpp>
#include <asio/write.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdexcept>

namespace playstream::cql::driver {
namespace {

// OpenSSL's reason for the last error, for a file it could not load.
std::string openssl_reason() {
    const auto code = ERR_get_error();
    ERR_clear_error();
    const char* reason = code ? ERR_reason_error_string(code) : nullptr;
    return reason ? reason : "unknown error";
}

void load(const std::string& what, const std::string& file, bool ok) {
    if (!ok) throw std::invalid_argument("cannot use " + what + " " + file + ": " + openssl_reason());
}

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

}  // namespace

std::shared_ptr<asio::ssl::context> make_tls_context(const TlsOptions& o) {
    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    SSL_CTX* ctx = context->native_handle();
    ERR_clear_error();
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (o.ca_file.empty()) {
        load("the system's CA certificates", "", SSL_CTX_set_default_verify_paths(ctx) == 1);
    } else {
        load("CA file", o.ca_file, SSL_CTX_load_verify_locations(ctx, o.ca_file.c_str(), nullptr) == 1);
    }
    if (o.cert_file.empty() != o.key_file.empty())
        throw std::invalid_argument("a client certificate needs its key and a key its certificate");
    if (!o.cert_file.empty()) {
        load("client certificate", o.cert_file, SSL_CTX_use_certificate_chain_file(ctx, o.cert_file.c_str()) == 1);
        load("client key", o.key_file, SSL_CTX_use_PrivateKey_file(ctx, o.key_file.c_str(), SSL_FILETYPE_PEM) == 1);
        load("client key", o.key_file + " (it does not match the certificate " + o.cert_file + ")",
             SSL_CTX_check_private_key(ctx) == 1);
    }
    return context;
}

Transport::Transport(Executor executor, std::shared_ptr<asio::ssl::context> tls, std::string host,
                     bool verify_hostname)
    : context_(std::move(tls)), plain_(executor), host_(std::move(host)) {
    if (!context_) return;
    tls_stream_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket>>(executor, *context_);
    SSL* ssl = tls_stream_->native_handle();
    asio::error_code not_ip;
    (void)asio::ip::make_address(host_, not_ip);
    if (not_ip) SSL_set_tlsext_host_name(ssl, host_.c_str());  // SNI takes names only
    if (!verify_hostname) return;
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (not_ip) X509_VERIFY_PARAM_set1_host(param, host_.c_str(), 0);
    else X509_VERIFY_PARAM_set1_ip_asc(param, host_.c_str());
}

asio::ip::tcp::socket& Transport::socket() { return tls_stream_ ? tls_stream_->next_layer() : plain_; }

void Transport::async_connect(const asio::ip::tcp::resolver::results_type& endpoints, ConnectHandler done) {
    asio::async_connect(socket(), endpoints, [this, done = std::move(done)](const asio::error_code& ec, const auto&) {
        if (ec) return done(ec, "connecting: " + ec.message(), false);
        asio::error_code ignored;
        socket().set_option(asio::ip::tcp::no_delay(true), ignored);
        if (!tls_stream_) return done(ec, "", false);
        handshake(done);
    });
}

void Transport::handshake(ConnectHandler done) {
    tls_stream_->async_handshake(asio::ssl::stream_base::client, [this, done](const asio::error_code& ec) {
        if (!ec) return done(ec, "", false);
        done(ec, handshake_error(ec), ec != asio::error::operation_aborted);
    });
}

std::string Transport::handshake_error(const asio::error_code& ec) const {
    const std::string prefix = "TLS handshake: ";
    if (ec == asio::error::operation_aborted) return prefix + "no answer in time";
    const auto verify = SSL_get_verify_result(tls_stream_->native_handle());
    if (verify != X509_V_OK) {
        std::string why = prefix + "the node's certificate was refused: " + X509_verify_cert_error_string(verify);
        switch (verify) {
            case X509_V_ERR_HOSTNAME_MISMATCH:
            case X509_V_ERR_IP_ADDRESS_MISMATCH:
                return why + " (it is not issued for " + host_ + ")";
            case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
            case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
            case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
            case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
                return why + " (is the CA file the one that signed the node's certificate?)";
            default: return why;
        }
    }
    const auto text = ec.message();
    if (contains(text, "certificate required") || contains(text, "handshake failure"))
        return prefix + text + " (does the node require a client certificate?)";
    if (contains(text, "wrong version number") || contains(text, "packet length too long") ||
        contains(text, "record layer failure"))
        return prefix + text + " (the node did not answer with TLS: is client encryption on at this port?)";
    if (ec == asio::ssl::error::stream_truncated || ec == asio::error::eof)
        return prefix + "the node closed the connection (is client encryption on at this port?)";
    return prefix + text;
}

void Transport::async_write(asio::const_buffer data, IoHandler done) {
    if (tls_stream_) asio::async_write(*tls_stream_, data, std::move(done));
    else asio::async_write(plain_, data, std::move(done));
}

void Transport::async_read_some(asio::mutable_buffer into, IoHandler done) {
    if (tls_stream_) tls_stream_->async_read_some(into, std::move(done));
    else plain_.async_read_some(into, std::move(done));
}

void Transport::close() {
    asio::error_code ignored;
    socket().close(ignored);
}

}  // namespace playstream::cql::driver
