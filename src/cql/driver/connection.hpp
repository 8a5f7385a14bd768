#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cql/driver/endpoint.hpp"
#include "cql/driver/response_handlers.hpp"
#include "cql/driver/stream_ids.hpp"
#include "cql/driver/transport.hpp"
#include "cql/compression.hpp"
#include "cql/frame.hpp"
#include "cql/response.hpp"

namespace playstream::cql::driver {

struct ConnectionOptions {
    Endpoint endpoint;
    std::string user;  // empty: no credentials
    std::string password;
    std::string keyspace;  // empty: none; else USE'd by the handshake
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds request_timeout{12000};
    // Requests on the wire at once; past it try_reserve says no (the caller waits or goes elsewhere).
    std::size_t max_in_flight = 1024;
    // Requests that timed out and whose ids stay parked until the node answers. Past this many the
    // node is taken as unresponsive and the connection closed, as the DataStax Java driver does
    // with its max-orphan-requests (256 by default).
    std::size_t max_orphans = 256;
    std::shared_ptr<asio::ssl::context> tls;  // null: plain TCP (make_tls_context)
    bool verify_hostname = true;              // with tls: the certificate must be for endpoint.host
    Compression compression = Compression::None;  // Lz4: asked for in STARTUP when the node offers it
};

// One TCP connection to one node, multiplexing requests over stream ids. Every public member is
// thread-safe; handlers run on the connection's strand of the I/O thread and must not block.
//
// Failures: a request that gets no answer within request_timeout fails with TimeoutError and
// parks its stream id; a socket error or a frame that breaks the protocol (ProtocolError) closes
// the connection and fails every pending request with ConnectionError. A server's ERROR answer is
// a normal Response: the caller decides what it means.
class Connection : public std::enable_shared_from_this<Connection> {
public:
    using OpenHandler = std::function<void(std::exception_ptr, std::shared_ptr<Connection>)>;
    // Told to the owner of an open connection (never while it is still opening).
    struct Listener {
        std::function<void(std::size_t in_flight)> slot_freed;  // a reserved slot was given back: room for a request
        std::function<void(std::exception_ptr)> closed;  // with the ConnectionError that closed it
        // An EVENT the node pushed (stream -1), after a REGISTER on this connection.
        std::function<void(response::Event)> event;
    };

    // Connects, then runs the handshake (handshake.hpp); `done` gets the open connection or why not.
    static void open(asio::io_context& io, ConnectionOptions options, Listener listener, OpenHandler done);

    Connection(asio::io_context& io, ConnectionOptions options, Listener listener);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    const std::string& host() const { return host_; }
    const ConnectionOptions& options() const { return options_; }

    // Takes one of max_in_flight slots; false when none is left or the connection is closed.
    bool try_reserve();
    // Sends a request frame (encoded with any stream id: the connection sets its own) on a slot
    // taken with try_reserve, which the request gives back when it completes. `handler` runs once.
    // The frame is copied before send returns. Frames sent from other threads are gathered and
    // started on the strand together: one hop for however many arrived meanwhile, or for all the
    // thread sent during a SendBatch (send_batch.hpp).
    void send(ByteView frame, ResponseHandler handler);
    // As send, without the copy: `frame` must stay valid and unchanged until `handler` has run
    // (an execution's own frame, which its handler keeps alive).
    void send_in_place(ByteView frame, ResponseHandler handler);
    template <Request R>
    void send(const R& request, ResponseHandler handler) { send(encode_frame(request, 0), std::move(handler)); }

    // From now on, requests are compressed (but STARTUP) and compressed responses understood.
    // For the handshake, before it sends STARTUP with the compression.
    void use_compression(Compression c);

    // Closes the socket; pending requests fail with ConnectionError.
    void close();
    bool is_closed() const { return closed_flag_.load(); }
    std::size_t reserved() const { return reserved_.load(); }
    std::size_t parked() const { return parked_count_.load(); }

private:
    friend class SendBatch;
    void connect(std::function<void(std::exception_ptr)> done);
    void post_start();  // start_submitted on the strand
    void start_submitted();
    void start_request(ByteView frame, ResponseHandler handler, std::chrono::steady_clock::time_point deadline);
    void flush();
    void read_frames();
    void handle_frames();
    void dispatch(std::int16_t stream, Response response);
    void arm_sweep();
    void sweep();
    void release_slot();
    // Closes for `reason` (on the strand); no-op when already closed.
    void fail(const std::string& reason);

    asio::strand<asio::io_context::executor_type> strand_;
    asio::ip::tcp::resolver resolver_;
    Transport transport_;
    asio::steady_timer connect_timer_;
    const ConnectionOptions options_;
    const Listener listener_;
    const std::string host_;

    // A request sent and not yet started on the strand: its handler, and its frame if it was sent
    // in place (else its frame is the next one in submitted_).
    struct Submitted {
        ResponseHandler handler;
        ByteView frame;
    };
    void submit(ByteView frame, ResponseHandler handler, bool in_place);

    // Frames sent and not yet started on the strand, and their handlers (any thread).
    std::mutex submit_mutex_;
    Bytes submitted_;
    std::vector<Submitted> submitted_requests_;
    bool start_posted_ = false;

    // Strand only.
    Bytes starting_;  // submitted_ swapped out, buffers kept for the next batch
    std::vector<Submitted> starting_requests_;
    ResponseHandlerMap requests_;
    asio::steady_timer sweep_timer_;  // at the oldest request's deadline
    bool sweep_armed_ = false;
    Bytes queued_;                          // frames waiting for the write in progress
    std::vector<std::int16_t> queued_ids_;  // their stream ids
    Bytes writing_;                         // the frames being written
    bool write_in_progress_ = false;
    static constexpr std::size_t read_buffer_size = 64 * 1024;
    Bytes in_;                           // bytes read, [in_begin_, in_end_) not yet handled
    std::size_t in_begin_ = 0;
    std::size_t in_end_ = 0;
    std::size_t in_needed_ = header_size;  // for the next whole frame
    RequestCompression compression_;  // what was negotiated, and whether it pays
    bool established_ = false;  // handshake done: closing now tells the listener
    bool closed_ = false;

    std::atomic<std::size_t> reserved_{0};
    std::atomic<std::size_t> parked_count_{0};
    std::atomic<bool> closed_flag_{false};
};

// Sends a request and waits for its answer, throwing its error. For setup code on a thread of
// the caller's, never on the I/O thread. Throws BusyError when the connection has no free slot.
Response call(Connection& connection, Bytes frame);
template <Request R>
Response call(Connection& connection, const R& request) { return call(connection, encode_frame(request, 0)); }

}  // namespace playstream::cql::driver
