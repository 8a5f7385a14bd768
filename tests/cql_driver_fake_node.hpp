#pragma once

// A fake Cassandra node for the driver's tests: an Asio acceptor on 127.0.0.x that speaks the
// native protocol v4 with our own codec (the Encoder writes the response bodies). It answers the
// handshake, REGISTER, system.local / system.peers(_v2), USE, PREPARE and EXECUTE by default; a
// test hook sees every request first and can answer it itself, hold it, break the protocol or
// hang up. push_event sends an EVENT to every client that REGISTERed, as a node does when the
// cluster changes; set_peers changes what its system.peers says meanwhile.
#include <asio.hpp>
#include <lz4.h>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cql/byte_order.hpp"
#include "cql/column_type.hpp"
#include "cql/decoder.hpp"
#include "cql/encoder.hpp"
#include "cql/frame.hpp"
#include "cql/response/error.hpp"

namespace playstream::cql::fake {

struct Request {
    std::int16_t stream = 0;
    Opcode opcode = Opcode::Options;
    Bytes body;

    // QUERY and PREPARE: the CQL text.
    std::string cql() const {
        Decoder d(body);
        return d.read_long_string();
    }
    // QUERY: the paging state sent back from a previous page, if any.
    std::optional<Bytes> paging_state() const {
        Decoder d(body);
        d.read_long_string();
        d.read_consistency();
        const auto flags = d.read_byte();
        if (flags & 0x01) {
            const auto n = d.read_short();
            for (int i = 0; i < n; ++i) d.read_bytes();
        }
        if (flags & 0x04) d.read_int();
        if (!(flags & 0x08)) return std::nullopt;
        return to_bytes(d.read_bytes());
    }
    // EXECUTE: the prepared id and the bound values (null as std::nullopt).
    std::pair<Bytes, std::vector<std::optional<Bytes>>> execute() const {
        Decoder d(body);
        const auto id = d.read_short_bytes();
        std::pair<Bytes, std::vector<std::optional<Bytes>>> out{Bytes(id.begin(), id.end()), {}};
        d.read_consistency();
        if (d.read_byte() & 0x01) {
            const auto n = d.read_short();
            for (int i = 0; i < n; ++i) out.second.push_back(to_bytes(d.read_bytes()));
        }
        return out;
    }
    // BATCH of prepared statements: each statement's id and bound values (null as std::nullopt).
    std::vector<std::pair<Bytes, std::vector<std::optional<Bytes>>>> batch() const {
        Decoder d(body);
        d.read_byte();  // type
        std::vector<std::pair<Bytes, std::vector<std::optional<Bytes>>>> out(d.read_short());
        for (auto& [id, values] : out) {
            if (d.read_byte() != 1) throw std::runtime_error("fake node: a batch statement that is not prepared");
            const auto bytes = d.read_short_bytes();
            id.assign(bytes.begin(), bytes.end());
            const auto n = d.read_short();
            for (int i = 0; i < n; ++i) values.push_back(to_bytes(d.read_bytes()));
        }
        return out;
    }
};

// Response bodies and frames.
namespace reply {

inline Bytes frame(std::int16_t stream, Opcode op, const Bytes& body) {
    Bytes out{response_version, 0};
    append_be(out, static_cast<std::uint16_t>(stream));
    out.push_back(static_cast<std::uint8_t>(op));
    append_be(out, static_cast<std::uint32_t>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

// A compressed v4 frame, made with liblz4 itself rather than the driver's codec: the body is the
// uncompressed length (4 bytes, big-endian) and one LZ4 block.
inline Bytes lz4_frame(std::int16_t stream, Opcode op, const Bytes& body) {
    Bytes packed(4 + static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(body.size()))));
    store_be(packed.data(), static_cast<std::uint32_t>(body.size()));
    const int n = LZ4_compress_default(reinterpret_cast<const char*>(body.data()), reinterpret_cast<char*>(packed.data() + 4),
                                       static_cast<int>(body.size()), static_cast<int>(packed.size() - 4));
    packed.resize(4 + static_cast<std::size_t>(n));
    auto out = frame(stream, op, packed);
    out[1] = frame_flag::compression;
    return out;
}

inline Bytes lz4_unframe(const Bytes& packed) {
    if (packed.size() < 4) return {};
    Bytes out(load_be<std::uint32_t>(packed.data()));
    const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(packed.data() + 4), reinterpret_cast<char*>(out.data()),
                                      static_cast<int>(packed.size() - 4), static_cast<int>(out.size()));
    if (n != static_cast<int>(out.size())) return {};
    return out;
}

template <class F>
Bytes body(F write) {
    Bytes out;
    Encoder e(out);
    write(e);
    return out;
}

inline Bytes error(response::ErrorCode code, const std::string& message) {
    return body([&](Encoder& e) {
        e.write_int(static_cast<std::int32_t>(code));
        e.write_string(message);
        using C = response::ErrorCode;
        if (code == C::Unavailable) {
            e.write_consistency(Consistency::LocalQuorum);
            e.write_int(2);
            e.write_int(1);
        } else if (code == C::WriteTimeout) {
            e.write_consistency(Consistency::LocalQuorum);
            e.write_int(1);
            e.write_int(2);
            e.write_string("SIMPLE");
        }
    });
}

inline Bytes unprepared(const Bytes& id) {
    return body([&](Encoder& e) {
        e.write_int(static_cast<std::int32_t>(response::ErrorCode::Unprepared));
        e.write_string("Prepared query with ID not found");
        e.write_short_bytes(id);
    });
}

inline Bytes void_result() {
    return body([](Encoder& e) { e.write_int(1); });
}

inline Bytes set_keyspace(const std::string& keyspace) {
    return body([&](Encoder& e) {
        e.write_int(3);
        e.write_string(keyspace);
    });
}

inline void write_type(Encoder& e, const ColumnType& t) {
    e.write_short(static_cast<std::uint16_t>(t.id));
    for (const auto& p : t.params) write_type(e, p);
}

struct Column {
    std::string name;
    ColumnType type;
};
using Row = std::vector<std::optional<Bytes>>;

inline Bytes rows(const std::vector<Column>& columns, const std::vector<Row>& rows,
                  const std::optional<Bytes>& paging_state = std::nullopt) {
    return body([&](Encoder& e) {
        e.write_int(2);
        e.write_int(0x0001 | (paging_state ? 0x0002 : 0));
        e.write_int(static_cast<std::int32_t>(columns.size()));
        if (paging_state) e.write_bytes(*paging_state);
        e.write_string("ks");
        e.write_string("t");
        for (const auto& c : columns) {
            e.write_string(c.name);
            write_type(e, c.type);
        }
        e.write_int(static_cast<std::int32_t>(rows.size()));
        for (const auto& row : rows)
            for (const auto& cell : row) cell ? e.write_bytes(*cell) : e.write_int(-1);
    });
}

inline Bytes prepared(const Bytes& id, const std::vector<std::uint16_t>& pk_indexes, std::size_t markers) {
    return body([&](Encoder& e) {
        e.write_int(4);
        e.write_short_bytes(id);
        e.write_int(0x0001);
        e.write_int(static_cast<std::int32_t>(markers));
        e.write_int(static_cast<std::int32_t>(pk_indexes.size()));
        for (const auto i : pk_indexes) e.write_short(i);
        e.write_string("ks");
        e.write_string("t");
        for (std::size_t i = 0; i < markers; ++i) {
            e.write_string("c" + std::to_string(i));
            write_type(e, ColumnType{TypeId::Varchar, {}, {}, {}, {}});
        }
        e.write_int(0x0004);  // result metadata: No_metadata
        e.write_int(0);
    });
}

inline Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

// A TOPOLOGY_CHANGE (NEW_NODE, REMOVED_NODE) or STATUS_CHANGE (UP, DOWN) EVENT body about the
// node at address:port (its native protocol port, as Cassandra sends it).
inline Bytes node_event(const std::string& type, const std::string& change, const std::string& address,
                        std::uint16_t port) {
    return body([&](Encoder& e) {
        e.write_string(type);
        e.write_string(change);
        const auto a = asio::ip::make_address_v4(address).to_bytes();
        e.write_byte(static_cast<std::uint8_t>(a.size()));
        for (const auto b : a) e.write_byte(b);
        e.write_int(port);
    });
}

inline Bytes text_set(const std::vector<std::string>& items) {
    Bytes out;
    append_be(out, static_cast<std::uint32_t>(items.size()));
    for (const auto& s : items) {
        append_be(out, static_cast<std::uint32_t>(s.size()));
        out.insert(out.end(), s.begin(), s.end());
    }
    return out;
}

}  // namespace reply

// One node's place in a fake cluster, as system.local / system.peers_v2 tell it.
struct NodeSpec {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;
    std::string datacenter = "dc1";
    std::vector<std::int64_t> tokens;
};

class Node;

// One accepted connection.
class Peer : public std::enable_shared_from_this<Peer> {
public:
    Peer(Node& node, asio::ip::tcp::socket socket) : node_(node), socket_(std::move(socket)) {}
    void start() { read_header(); }
    // Thread-safe: queues raw bytes for the client.
    void write(Bytes bytes) {
        asio::post(socket_.get_executor(), [self = shared_from_this(), bytes = std::move(bytes)]() mutable {
            const bool idle = self->out_.empty();
            self->out_.push_back(std::move(bytes));
            if (idle) self->flush();
        });
    }
    void reply(const Request& r, Opcode op, const Bytes& body) {
        if (lz4 && compress_replies) return write(reply::lz4_frame(r.stream, op, body));
        write(reply::frame(r.stream, op, body));
    }
    // Set by STARTUP with COMPRESSION=lz4: bodies flagged compressed are LZ4 from then on.
    std::atomic<bool> lz4{false};
    std::atomic<bool> registered{false};  // sent REGISTER: gets the node's EVENTs
    std::atomic<bool> compress_replies{true};
    void close() {
        asio::post(socket_.get_executor(), [self = shared_from_this()] {
            asio::error_code ignored;
            self->socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
            self->socket_.close(ignored);
        });
    }

private:
    void flush() {
        auto self = shared_from_this();
        asio::async_write(socket_, asio::buffer(out_.front()), [self](asio::error_code ec, std::size_t) {
            if (ec) return;
            self->out_.erase(self->out_.begin());
            if (!self->out_.empty()) self->flush();
        });
    }
    void read_header();

    Node& node_;
    asio::ip::tcp::socket socket_;
    std::array<std::uint8_t, 9> header_{};
    Bytes body_;
    std::vector<Bytes> out_;
};

class Node {
public:
    // Returns true when it handled the request itself.
    using Hook = std::function<bool(Peer&, const Request&)>;

    explicit Node(std::string address = "127.0.0.1", std::uint16_t port = 0)
        : acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address(address), port)) {
        spec.address = address;
        spec.port = acceptor_.local_endpoint().port();
    }
    ~Node() {
        io_.stop();
        if (thread_.joinable()) thread_.join();
    }
    // Starts accepting clients: configure the node first.
    void start() {
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }

    std::uint16_t port() const { return spec.port; }
    std::string endpoint() const { return spec.address + ":" + std::to_string(spec.port); }

    // Configuration: set before start().
    NodeSpec spec;
    std::vector<NodeSpec> peers;
    bool has_peers_v2 = true;
    std::optional<std::pair<std::string, std::string>> credentials;
    std::vector<std::string> compression_offered;  // SUPPORTED's COMPRESSION; empty: none offered
    std::map<std::string, std::string> startup_options;  // of the last STARTUP
    std::vector<std::uint16_t> pk_indexes{0};
    std::size_t bind_markers = 2;

    void set_hook(Hook hook) {
        std::lock_guard lock(mutex_);
        hook_ = std::move(hook);
    }
    // Hangs up on every client.
    void disconnect_all() {
        std::lock_guard lock(mutex_);
        for (auto& p : peers_)
            if (auto s = p.lock()) s->close();
    }
    // What system.peers says from now on.
    void set_peers(std::vector<NodeSpec> now) {
        std::lock_guard lock(mutex_);
        peers = std::move(now);
    }
    // Sends an EVENT (stream -1) to every client that REGISTERed; returns how many got it.
    int push_event(const Bytes& body) {
        std::lock_guard lock(mutex_);
        int sent = 0;
        for (auto& p : peers_)
            if (auto s = p.lock(); s && s->registered) {
                s->reply(Request{-1, Opcode::Event, {}}, Opcode::Event, body);
                ++sent;
            }
        return sent;
    }
    // Prepared ids this node has forgotten, as after a restart: EXECUTE gets Unprepared.
    void forget_prepared() {
        std::lock_guard lock(mutex_);
        prepared_.clear();
    }

    std::atomic<int> executes{0};
    std::atomic<int> batches{0};
    std::atomic<int> prepares{0};
    std::atomic<int> queries{0};
    std::atomic<int> connections{0};
    std::atomic<int> hangups{0};  // client connections that ended
    std::atomic<int> compressed_requests{0};  // frames received with the compression flag

    void handle(Peer& peer, const Request& r) {
        Hook hook;
        {
            std::lock_guard lock(mutex_);
            hook = hook_;
        }
        if (hook && hook(peer, r)) return;
        answer(peer, r);
    }

private:
    void accept() {
        acceptor_.async_accept([this](asio::error_code ec, asio::ip::tcp::socket socket) {
            if (ec) return;
            auto peer = std::make_shared<Peer>(*this, std::move(socket));
            {
                std::lock_guard lock(mutex_);
                peers_.push_back(peer);
            }
            ++connections;
            peer->start();
            accept();
        });
    }

    reply::Row node_row(const NodeSpec& n, bool local) const {
        std::vector<std::string> tokens;
        for (const auto t : n.tokens) tokens.push_back(std::to_string(t));
        const auto addr = asio::ip::make_address_v4(n.address).to_bytes();
        const Bytes inet(addr.begin(), addr.end());
        if (local)
            return {reply::text(n.datacenter), reply::text("rack1"), reply::text_set(tokens),
                    reply::text("org.apache.cassandra.dht.Murmur3Partitioner")};
        Bytes port;
        append_be(port, static_cast<std::uint32_t>(n.port));
        if (has_peers_v2)
            return {inet, inet, port, reply::text(n.datacenter), reply::text("rack1"), reply::text_set(tokens)};
        return {inet, inet, reply::text(n.datacenter), reply::text("rack1"), reply::text_set(tokens)};
    }

    void answer(Peer& peer, const Request& r) {
        const ColumnType text{TypeId::Varchar, {}, {}, {}, {}};
        const ColumnType inet{TypeId::Inet, {}, {}, {}, {}};
        const ColumnType integer{TypeId::Int, {}, {}, {}, {}};
        const ColumnType tokens{TypeId::Set, {}, {}, {}, {text}};
        switch (r.opcode) {
        case Opcode::Options:
            return peer.reply(r, Opcode::Supported, reply::body([&](Encoder& e) {
                                  e.write_short(2);
                                  e.write_string("COMPRESSION");
                                  e.write_string_list(compression_offered);
                                  e.write_string("CQL_VERSION");
                                  e.write_string_list({"3.4.7"});
                              }));
        case Opcode::Startup: {
            Decoder d(r.body);
            const auto options = d.read_string_map();
            {
                std::lock_guard lock(mutex_);
                startup_options = {options.begin(), options.end()};
            }
            const auto c = options.find("COMPRESSION");
            if (c != options.end() && c->second == "lz4") peer.lz4 = true;
            if (credentials)
                return peer.reply(r, Opcode::Authenticate, reply::body([](Encoder& e) {
                                      e.write_string("org.apache.cassandra.auth.PasswordAuthenticator");
                                  }));
            return peer.reply(r, Opcode::Ready, {});
        }
        case Opcode::AuthResponse: {
            Decoder d(r.body);
            const auto token = to_bytes(d.read_bytes()).value_or(Bytes{});
            const auto expected = reply::text(std::string(1, '\0') + credentials->first + '\0' + credentials->second);
            if (token == expected) return peer.reply(r, Opcode::AuthSuccess, reply::body([](Encoder& e) { e.write_int(-1); }));
            return peer.reply(r, Opcode::Error,
                              reply::error(response::ErrorCode::BadCredentials,
                                           "Provided username " + credentials->first + " and/or password are incorrect"));
        }
        case Opcode::Register:
            peer.registered = true;
            return peer.reply(r, Opcode::Ready, {});
        case Opcode::Query: {
            ++queries;
            const auto cql = r.cql();
            if (cql.find("FROM system.local") != std::string::npos)
                return peer.reply(r, Opcode::Result,
                                  reply::rows({{"data_center", text}, {"rack", text}, {"tokens", tokens}, {"partitioner", text}},
                                              {node_row(spec, true)}));
            if (cql.find("FROM system.peers") != std::string::npos) {
                if (!has_peers_v2 && cql.find("peers_v2") != std::string::npos)
                    return peer.reply(r, Opcode::Error,
                                      reply::error(response::ErrorCode::Invalid, "unconfigured table peers_v2"));
                std::vector<reply::Row> rows;
                {
                    std::lock_guard lock(mutex_);
                    for (const auto& p : peers) rows.push_back(node_row(p, false));
                }
                if (has_peers_v2)
                    return peer.reply(r, Opcode::Result,
                                      reply::rows({{"peer", inet}, {"native_address", inet}, {"native_port", integer},
                                                   {"data_center", text}, {"rack", text}, {"tokens", tokens}},
                                                  rows));
                return peer.reply(r, Opcode::Result,
                                  reply::rows({{"peer", inet}, {"rpc_address", inet}, {"data_center", text}, {"rack", text},
                                               {"tokens", tokens}},
                                              rows));
            }
            if (cql.starts_with("USE ")) return peer.reply(r, Opcode::Result, reply::set_keyspace(cql.substr(4)));
            return peer.reply(r, Opcode::Result, reply::void_result());
        }
        case Opcode::Prepare: {
            ++prepares;
            const auto cql = r.cql();
            const auto id = reply::text("id:" + cql.substr(0, 8));
            {
                std::lock_guard lock(mutex_);
                prepared_[id] = true;
            }
            return peer.reply(r, Opcode::Result, reply::prepared(id, pk_indexes, bind_markers));
        }
        case Opcode::Execute: {
            ++executes;
            const auto id = r.execute().first;
            bool known = false;
            {
                std::lock_guard lock(mutex_);
                known = prepared_.count(id) != 0;
            }
            if (!known) return peer.reply(r, Opcode::Error, reply::unprepared(id));
            return peer.reply(r, Opcode::Result, reply::void_result());
        }
        case Opcode::Batch: {
            ++batches;
            std::optional<Bytes> unknown;
            for (const auto& [id, values] : r.batch()) {
                std::lock_guard lock(mutex_);
                if (prepared_.count(id) == 0) unknown = id;
            }
            if (unknown) return peer.reply(r, Opcode::Error, reply::unprepared(*unknown));
            return peer.reply(r, Opcode::Result, reply::void_result());
        }
        default: return peer.reply(r, Opcode::Error, reply::error(response::ErrorCode::ProtocolError, "unexpected opcode"));
        }
    }

    asio::io_context io_;
    asio::ip::tcp::acceptor acceptor_;
    std::thread thread_;
    std::mutex mutex_;
    Hook hook_;
    std::vector<std::weak_ptr<Peer>> peers_;
    std::map<Bytes, bool> prepared_;
};

inline void Peer::read_header() {
    asio::async_read(socket_, asio::buffer(header_), [self = shared_from_this()](asio::error_code ec, std::size_t) {
        if (ec) {
            ++self->node_.hangups;
            return;
        }
        const auto length = load_be<std::uint32_t>(&self->header_[5]);
        self->body_.resize(length);
        asio::async_read(self->socket_, asio::buffer(self->body_), [self](asio::error_code ec2, std::size_t) {
            if (ec2) return;
            const bool compressed = self->header_[1] & frame_flag::compression;
            if (compressed) ++self->node_.compressed_requests;
            Request r{static_cast<std::int16_t>(load_be<std::uint16_t>(&self->header_[2])),
                      static_cast<Opcode>(self->header_[4]),
                      compressed && self->lz4 ? reply::lz4_unframe(self->body_) : self->body_};
            self->node_.handle(*self, r);
            self->read_header();
        });
    });
}

}  // namespace playstream::cql::fake
