#include "cql/driver/connection.hpp"

#include <asio/post.hpp>
#include <algorithm>

#include "cql/byte_order.hpp"
#include "cql/driver/completion.hpp"
#include "cql/driver/errors.hpp"
#include "cql/driver/handshake.hpp"
#include "cql/driver/send_batch.hpp"
#include "cql/error.hpp"

namespace playstream::cql::driver {

namespace {
// This thread's SendBatch: how deep, and the connections with frames waiting for its end.
struct Corked {
    int depth = 0;
    std::vector<std::shared_ptr<Connection>> connections;
};
thread_local Corked corked;
}  // namespace

SendBatch::SendBatch() { ++corked.depth; }

// A failure to post (no memory) ends the process here: the frames would never be started.
SendBatch::~SendBatch() {
    if (--corked.depth == 0) flush();
}

void SendBatch::flush() {
    if (corked.connections.empty()) return;
    std::vector<std::shared_ptr<Connection>> waiting;
    waiting.swap(corked.connections);
    std::size_t posted = 0;
    try {
        for (; posted < waiting.size(); ++posted) waiting[posted]->post_start();
    } catch (...) {
        // Those not posted stay in the batch (no allocation here), for its next flush or its end:
        // dropped, their start_posted_ flag would keep every later request from being started.
        waiting.erase(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(posted));
        waiting.swap(corked.connections);
        throw;
    }
    waiting.clear();
    waiting.swap(corked.connections);  // keeps the capacity for the next batch
}

void Connection::open(asio::io_context& io, ConnectionOptions options, Listener listener, OpenHandler done) {
    auto c = std::make_shared<Connection>(io, std::move(options), std::move(listener));
    c->connect([c, done = std::move(done)](std::exception_ptr error) {
        if (error) return done(error, nullptr);
        run_handshake(c, [c, done](std::exception_ptr handshake_error) {
            if (handshake_error) {
                c->close();
                return done(handshake_error, nullptr);
            }
            asio::post(c->strand_, [c, done] {
                // Closed after the handshake's last answer but before now, it told no listener: tell `done`.
                c->established_ = true;
                if (!c->closed_) return done(nullptr, c);
                done(std::make_exception_ptr(ConnectionError(c->host_, "closed during the handshake", false)), nullptr);
            });
        });
    });
}

Connection::Connection(asio::io_context& io, ConnectionOptions options, Listener listener)
    : strand_(asio::make_strand(io)),
      resolver_(strand_),
      transport_(strand_, options.tls, options.endpoint.host, options.verify_hostname),
      connect_timer_(strand_),
      options_(std::move(options)),
      listener_(std::move(listener)),
      host_(options_.endpoint.to_string()),
      sweep_timer_(strand_) {}

Connection::~Connection() = default;

void Connection::connect(std::function<void(std::exception_ptr)> done) {
    auto self = shared_from_this();
    auto finish = [this, self, done](const asio::error_code& ec, const std::string& step_error, bool tls_refused) {
        connect_timer_.cancel();
        if (!ec) return done(nullptr);
        // The timer closing the socket may surface as another error than operation_aborted (the
        // TLS stream's): past the deadline, it is a timeout whatever the error says.
        const bool timed_out = ec == asio::error::operation_aborted ||
                               connect_timer_.expiry() <= asio::steady_timer::clock_type::now();
        const auto why = timed_out ? "no connection within " + std::to_string(options_.connect_timeout.count()) + " ms"
                                   : step_error;
        fail(why);
        if (tls_refused && !timed_out) return done(std::make_exception_ptr(TlsError(host_, "cannot connect: " + why)));
        done(std::make_exception_ptr(ConnectionError(host_, "cannot connect: " + why, false)));
    };
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([this, self](const asio::error_code& ec) {
        if (ec) return;
        resolver_.cancel();
        transport_.close();
    });
    resolver_.async_resolve(
        options_.endpoint.host, std::to_string(options_.endpoint.port),
        [this, self, finish](const asio::error_code& ec, const asio::ip::tcp::resolver::results_type& results) {
            if (ec) return finish(ec, "resolving the host: " + ec.message(), false);
            transport_.async_connect(results, [this, self, finish](const asio::error_code& cec, const std::string& why,
                                                                   bool tls_refused) {
                if (!cec) read_frames();
                finish(cec, why, tls_refused);
            });
        });
}

bool Connection::try_reserve() {
    auto n = reserved_.load();
    do {
        if (closed_flag_.load() || n >= options_.max_in_flight) return false;
    } while (!reserved_.compare_exchange_weak(n, n + 1));
    return true;
}

void Connection::send(ByteView frame, ResponseHandler handler) { submit(frame, std::move(handler), false); }

void Connection::send_in_place(ByteView frame, ResponseHandler handler) { submit(frame, std::move(handler), true); }

void Connection::submit(ByteView frame, ResponseHandler handler, bool in_place) {
    bool post = false;
    {
        std::lock_guard lock(submit_mutex_);
        if (!in_place) submitted_.insert(submitted_.end(), frame.begin(), frame.end());
        submitted_requests_.push_back({std::move(handler), in_place ? frame : ByteView()});
        post = !std::exchange(start_posted_, true);
    }
    if (!post) return;
    if (corked.depth > 0) {
        try {
            return corked.connections.push_back(shared_from_this());
        } catch (const std::bad_alloc&) {
            // No room to remember it: start it now rather than never.
        }
    }
    post_start();
}

void Connection::post_start() {
    asio::post(strand_, [self = shared_from_this()] { self->start_submitted(); });
}

void Connection::start_submitted() {
    {
        std::lock_guard lock(submit_mutex_);
        submitted_.swap(starting_);
        submitted_requests_.swap(starting_requests_);
        start_posted_ = false;
    }
    // One clock read for the whole batch: the requests started together.
    const auto deadline = std::chrono::steady_clock::now() + options_.request_timeout;
    std::size_t at = 0;
    for (auto& request : starting_requests_) {
        auto frame = request.frame;
        if (frame.empty()) {
            const auto length = header_size + load_be<std::uint32_t>(starting_.data() + at + 5);
            frame = ByteView(starting_).subspan(at, length);
            at += length;
        }
        start_request(frame, std::move(request.handler), deadline);
    }
    starting_.clear();
    starting_requests_.clear();
    if (!write_in_progress_ && !queued_.empty() && !closed_) flush();
    arm_sweep();
}

void Connection::start_request(ByteView frame, ResponseHandler handler,
                               std::chrono::steady_clock::time_point deadline) {
    const auto id = closed_ ? std::nullopt : requests_.allocate(handler, deadline);
    if (!id) {
        release_slot();
        const auto why = closed_ ? "the connection is closed" : "no free stream id";
        return handler(std::make_exception_ptr(ConnectionError(host_, why, false)), {});
    }
    const auto at = queued_.size();
    compression_.append(queued_, frame);
    store_be(queued_.data() + at + 2, static_cast<std::uint16_t>(*id));
    queued_ids_.push_back(*id);
}

// Everything queued goes out in one write: under load many frames share a syscall.
void Connection::flush() {
    write_in_progress_ = true;
    writing_.swap(queued_);
    queued_.clear();
    for (const auto id : queued_ids_) requests_.mark_written(id);
    queued_ids_.clear();
    auto self = shared_from_this();
    transport_.async_write(asio::buffer(writing_), [self](const asio::error_code& ec, std::size_t) {
        self->write_in_progress_ = false;
        if (ec) return self->fail("writing: " + ec.message());
        if (!self->queued_.empty() && !self->closed_) self->flush();
    });
}

// Reads whatever the socket has and handles every whole frame in it: under load one read brings
// many responses, where reading each header and body on its own cost two syscalls a response.
void Connection::read_frames() {
    // Room for the frame in hand (a partial one stays at the front) and more behind it.
    if (in_begin_ > 0) {
        std::copy(in_.begin() + static_cast<std::ptrdiff_t>(in_begin_), in_.begin() + static_cast<std::ptrdiff_t>(in_end_), in_.begin());
        in_end_ -= in_begin_;
        in_begin_ = 0;
    }
    const std::size_t wanted = std::max(in_needed_, read_buffer_size);
    if (in_.size() < wanted) in_.resize(wanted);
    auto self = shared_from_this();
    transport_.async_read_some(asio::buffer(in_.data() + in_end_, in_.size() - in_end_),
                               [self](const asio::error_code& ec, std::size_t n) {
        if (ec)
            return self->fail(ec == asio::error::eof ? "the node closed the connection" : "reading: " + ec.message());
        self->in_end_ += n;
        self->handle_frames();
        if (!self->closed_) self->read_frames();
    });
}

void Connection::handle_frames() {
    while (!closed_ && in_end_ - in_begin_ >= header_size) {
        const ByteView available(in_.data() + in_begin_, in_end_ - in_begin_);
        FrameHeader header;
        Response response;
        try {
            header = parse_response_header(available.first(header_size));
            in_needed_ = header_size + header.length;
            if (available.size() < in_needed_) return;  // the rest of it comes with a later read
            response = decode_response(header, available.subspan(header_size, header.length),
                                       compression_.negotiated());
        } catch (const ProtocolError& e) {
            return fail(std::string("protocol error: ") + e.what());
        }
        in_begin_ += in_needed_;
        in_needed_ = header_size;
        dispatch(header.stream, std::move(response));
    }
    // After a big frame, give its memory back.
    if (in_begin_ == in_end_ && in_.size() > 16 * read_buffer_size) Bytes(read_buffer_size).swap(in_);
}

void Connection::dispatch(std::int16_t stream, Response response) {
    if (stream < 0) {
        // Negative ids are the server's own (spec 2.3): EVENTs, to a connection that REGISTERed.
        auto* event = std::get_if<response::Event>(&response.body);
        if (event && listener_.event) listener_.event(std::move(*event));
        return;
    }
    auto found = requests_.take(stream);
    switch (found.outcome) {
    case ResponseHandlerMap::Outcome::Pending:
        release_slot();
        return found.handler(nullptr, std::move(response));
    case ResponseHandlerMap::Outcome::Orphaned: parked_count_ = requests_.orphaned(); return;
    case ResponseHandlerMap::Outcome::Unknown:
        return fail("protocol error: a response on stream " + std::to_string(stream) + ", which has no request");
    }
}

// One timer per connection, at the oldest pending request's deadline.
void Connection::arm_sweep() {
    if (sweep_armed_ || closed_) return;
    const auto next = requests_.next_deadline();
    if (!next) return;
    sweep_armed_ = true;
    sweep_timer_.expires_at(*next);
    sweep_timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
        self->sweep_armed_ = false;
        if (!ec && !self->closed_) self->sweep();
    });
}

void Connection::sweep() {
    auto expired = requests_.take_expired(std::chrono::steady_clock::now());
    parked_count_ = requests_.orphaned();
    for (auto& handler : expired) {
        release_slot();
        handler(std::make_exception_ptr(TimeoutError(
                    host_, "no response within " + std::to_string(options_.request_timeout.count()) + " ms")),
                {});
    }
    if (requests_.orphaned() > options_.max_orphans)
        return fail(std::to_string(requests_.orphaned()) +
                    " requests timed out without a response: the node is unresponsive");
    arm_sweep();
}

void Connection::release_slot() {
    const auto left = reserved_.fetch_sub(1) - 1;
    if (listener_.slot_freed) listener_.slot_freed(left);
}

void Connection::use_compression(Compression c) {
    asio::post(strand_, [self = shared_from_this(), c] { self->compression_ = RequestCompression(c); });
}

void Connection::close() {
    asio::post(strand_, [self = shared_from_this()] { self->fail("closed by the client"); });
}

void Connection::fail(const std::string& reason) {
    if (closed_) return;
    closed_ = true;
    closed_flag_ = true;
    transport_.close();
    connect_timer_.cancel();
    sweep_timer_.cancel();
    requests_.take_all([&](ResponseHandler& handler, bool written) {
        release_slot();
        handler(std::make_exception_ptr(ConnectionError(host_, reason, written)), {});
    });
    if (established_ && listener_.closed)
        listener_.closed(std::make_exception_ptr(ConnectionError(host_, reason, false)));
}

Response call(Connection& connection, Bytes frame) {
    if (!connection.try_reserve()) throw BusyError(connection.host(), "no free request slot");
    auto [callback, future] = completion<Response>();
    connection.send(frame, std::move(callback));
    SendBatch::flush();
    return future.get();
}

}  // namespace playstream::cql::driver
