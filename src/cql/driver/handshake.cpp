#include "cql/driver/handshake.hpp"

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
            return fail(ConnectionError(c_->host(), std::string(what) + ": no free request slot", false));
        c_->send(request, [self = shared_from_this(), next](std::exception_ptr error, Response response) {
            if (error) return self->done_(error);
            (self.get()->*next)(std::move(response));
        });
    }

    void on_supported(Response&& r) {
        if (!std::holds_alternative<response::Supported>(r.body)) return unexpected(r);
        send(request::Startup{}, &Handshake::on_startup, "STARTUP");
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
