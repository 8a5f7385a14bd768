#include "cql/driver/handshake.hpp"

#include <algorithm>

#include "cql/driver/answer.hpp"
#include "cql/driver/connection.hpp"
#include "cql/driver/errors.hpp"
#include "cql/request/auth_response.hpp"
#include "cql/request/options.hpp"
#include "cql/request/query.hpp"
#include "cql/request/startup.hpp"

namespace playstream::cql::driver {
namespace {

class Handshake : public std::enable_shared_from_this<Handshake> {
public:
    using Step = void (Handshake::*)(Response&&);

    Handshake(std::shared_ptr<Connection> c, std::function<void(std::exception_ptr)> done)
        : c_(std::move(c)), done_(std::move(done)) {}

    template <Request R>
    void send(const R& request, Step next, const char* what) {
        step_ = what;
        if (!c_->try_reserve())
            return fail(ConnectionError(c_->host(), std::string(what).append(": no free request slot"), false));
        c_->send(request, [self = shared_from_this(), next](std::exception_ptr error, Response response) {
            if (error) return self->done_(self->explain(error));
            (self.get()->*next)(std::move(response));
        });
    }

    void on_supported(Response&& r) {
        const auto* supported = std::get_if<response::Supported>(&r.body);
        if (!supported) return unexpected(r);
        request::Startup startup;
        const auto wanted = c_->options().compression;
        if (wanted != Compression::None && offers(*supported, "COMPRESSION", to_string(wanted))) {
            startup.compression = std::string(to_string(wanted));
            c_->use_compression(wanted);  // before STARTUP: the node may compress its answer
        }
        send(startup, &Handshake::on_startup, "STARTUP");
    }

    void on_startup(Response&& r) {
        if (std::holds_alternative<response::Ready>(r.body)) return use_keyspace();
        const auto* auth = std::get_if<response::Authenticate>(&r.body);
        if (!auth) return unexpected(r);
        const auto& o = c_->options();
        if (o.user.empty())
            return fail(AuthenticationError(c_->host(), "the node requires authentication (" + auth->authenticator +
                                                            ") and no user name and password were given"));
        send(request::AuthResponse::plain(o.user, o.password), &Handshake::on_auth, "AUTH_RESPONSE");
    }

    void on_auth(Response&& r) {
        if (std::holds_alternative<response::AuthSuccess>(r.body)) return use_keyspace();
        const auto* error = std::get_if<response::Error>(&r.body);
        if (error && error->code == response::ErrorCode::BadCredentials)
            return fail(AuthenticationError(c_->host(), "credentials rejected for user '" + c_->options().user +
                                                            "': " + error->describe()));
        unexpected(r);
    }

    void use_keyspace() {
        if (c_->options().keyspace.empty()) return done_(nullptr);
        send(request::Query{"USE " + quote_identifier(c_->options().keyspace), {}}, &Handshake::on_use, "USE");
    }

    void on_use(Response&& r) {
        if (std::holds_alternative<response::Result>(r.body)) return done_(nullptr);
        unexpected(r);
    }

private:
    static bool offers(const response::Supported& s, const std::string& option, std::string_view value) {
        const auto it = s.options.find(option);
        return it != s.options.end() && std::find(it->second.begin(), it->second.end(), value) != it->second.end();
    }

    // A connection that breaks at the first request most likely met a TLS setting the node does
    // not share: a plaintext one got bytes that are not a frame or was hung up on (the port wants
    // TLS); a TLS one got an alert (with TLS 1.3 a node refuses a missing or unknown client
    // certificate only after the handshake, at the first read).
    std::exception_ptr explain(std::exception_ptr error) const {
        if (std::string_view(step_) != "OPTIONS") return error;
        try {
            std::rethrow_exception(error);
        } catch (const ConnectionError& e) {
            const std::string what = e.what();
            if (c_->options().tls) {
                if (what.find("alert") == std::string::npos) return error;
                // Our side accepted the node's certificate: what it refuses is most likely ours.
                return std::make_exception_ptr(
                    TlsError(c_->host(), "the node refused the TLS session: " + what.substr(what.find(": ") + 2) +
                                             " (does it require a client certificate, or one of another CA?)"));
            }
            // A TLS alert record starts 0x15 0x03: read as a frame header, version 0x15.
            if (what.find("frame version 0x15") != std::string::npos)
                return std::make_exception_ptr(
                    TlsError(c_->host(), "the node answered with TLS: it requires TLS from its clients"));
            if (what.find("closed the connection") != std::string::npos || what.find("reset by peer") != std::string::npos)
                return std::make_exception_ptr(TlsError(
                    c_->host(), "the node closed the connection at the first request: does it require TLS?"));
        } catch (...) {
        }
        return error;
    }

    template <class E>
    void fail(E error) { done_(std::make_exception_ptr(std::move(error))); }

    void unexpected(const Response& r) { done_(unexpected_answer(r, c_->host(), std::string("the handshake's ") + step_)); }

    std::shared_ptr<Connection> c_;
    std::function<void(std::exception_ptr)> done_;
    const char* step_ = "";
};

}  // namespace

void run_handshake(std::shared_ptr<Connection> connection, std::function<void(std::exception_ptr)> done) {
    auto h = std::make_shared<Handshake>(std::move(connection), std::move(done));
    h->send(request::Options{}, &Handshake::on_supported, "OPTIONS");
}

std::string quote_identifier(const std::string& name) {
    std::string out = "\"";
    for (const char ch : name) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

}  // namespace playstream::cql::driver
